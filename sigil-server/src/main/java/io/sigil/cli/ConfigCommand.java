package io.sigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sigil.config.ConfigIssue;
import io.sigil.config.ConfigLoader;
import io.sigil.config.ConfigReference;
import io.sigil.config.InvalidConfiguration;
import io.sigil.config.LoadedConfig;
import io.sigil.config.LoadedConfig.ResolvedValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code sigil config show|validate|reference}: the effective configuration, its check, and its reference. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Show, validate and document the configuration.",
        subcommands = {ConfigCommand.Show.class, ConfigCommand.Validate.class, ConfigCommand.Reference.class})
final class ConfigCommand implements Runnable, SigilCommand.ConfigFree {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the effective settings (secrets masked), optionally with where each came from.")
    static final class Show implements Runnable, SigilCommand.ConfigFree.ShowsWarnings {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Print JSON (an object keyed by setting).")
        boolean json;

        @Option(names = "--sources", description = "Also print the source of each value (env var, file:line, command line, default).")
        boolean sources;

        @Override
        public void run() {
            LoadedConfig config = SigilCommand.root(spec).config();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(json(config.values(), sources));
            } else {
                if (sources) {
                    out.println(config.filesRead().isEmpty() ? "# files read: none (defaults, environment, command line)"
                            : "# files read: " + String.join(", ", config.filesRead()));
                }
                int width = config.values().stream().mapToInt(v -> v.key().key().length()).max().orElse(0);
                int valueWidth = config.values().stream().mapToInt(v -> v.shown().length()).max().orElse(0);
                for (ResolvedValue v : config.values()) {
                    String line = String.format("%-" + width + "s = %s", v.key().key(),
                            sources ? String.format("%-" + Math.min(valueWidth, 48) + "s  # %s", v.shown(), v.source().describe())
                                    : v.shown());
                    out.println(line.stripTrailing());
                }
            }
            out.flush();
            printWarnings(spec.commandLine().getErr(), config.warnings());
        }

        static String json(List<ResolvedValue> values, boolean sources) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (ResolvedValue v : values) {
                Object value = jsonValue(v);
                if (sources) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("value", value);
                    entry.put("source", v.source().describe());
                    map.put(v.key().key(), entry);
                } else {
                    map.put(v.key().key(), value);
                }
            }
            try {
                return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(map);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Numbers, booleans and lists as JSON values; secrets, paths and durations as their shown text. */
        private static Object jsonValue(ResolvedValue v) {
            Object value = v.value();
            if (value == null) return null;
            if (v.key().isSecret()) return v.shown();
            if (value instanceof Path || value instanceof Duration) return v.shown();
            return value;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check the configuration: exit 0 when valid, 2 listing every problem.")
    static final class Validate implements java.util.concurrent.Callable<Integer>, SigilCommand.ConfigFree {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            ConfigLoader.Outcome outcome = SigilCommand.root(spec).checkConfig();
            printWarnings(spec.commandLine().getErr(), outcome.warnings());
            if (!outcome.errors().isEmpty()) throw new InvalidConfiguration(outcome.issues());
            LoadedConfig config = outcome.config().orElseThrow();
            PrintWriter out = spec.commandLine().getOut();
            out.println("configuration is valid (environment " + config.value("environment").shown() + ", "
                    + outcome.warnings().size() + " warning" + (outcome.warnings().size() == 1 ? "" : "s") + ")");
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "reference", mixinStandardHelpOptions = true, description = "Print the configuration reference (docs/configuration.md) or .env.example.")
    static final class Reference implements Runnable, SigilCommand.ConfigFree {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--env-example", description = "Print .env.example instead of the Markdown reference.")
        boolean envExample;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            out.print(envExample ? ConfigReference.envExample() : ConfigReference.markdown());
            out.flush();
        }
    }

    static void printWarnings(PrintWriter err, List<ConfigIssue> warnings) {
        for (ConfigIssue w : warnings) err.println("warning: " + w.describe());
        err.flush();
    }
}
