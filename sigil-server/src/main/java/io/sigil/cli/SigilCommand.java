package io.sigil.cli;

import io.sigil.config.ConfigInputs;
import io.sigil.config.ConfigInputs.CommandLineValue;
import io.sigil.config.ConfigIssue;
import io.sigil.config.ConfigLoader;
import io.sigil.config.LoadedConfig;
import io.sigil.config.Settings;
import io.sigil.errors.InvalidInputError;
import io.sigil.logging.LogSetup;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The root {@code sigil} command: global options, configuration loaded once per invocation, logging set up from
 * it before any subcommand runs. Subcommands register in {@link CommandTree}.
 */
@Command(name = "sigil",
        mixinStandardHelpOptions = true,
        versionProvider = SigilCommand.Version.class,
        description = "Build, run and operate LLM agents that deliver verified results.")
public final class SigilCommand implements Runnable {

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Debug mode: library logs at DEBUG and stack traces of errors (sets debug=true; refused in production).")
    boolean debug;

    @Option(names = "--set", paramLabel = "KEY=VALUE", scope = CommandLine.ScopeType.INHERIT,
            description = "Set a configuration key (highest precedence), e.g. --set llm.model=test. Repeatable.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "Dotenv file to read instead of ./.env (must exist).")
    Path envFile;

    @Option(names = "--config-dir", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "Directory of default.yaml and <environment>.yaml instead of ./config (must exist).")
    Path configDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> environment;
    private final Path workingDir;
    private final boolean stdoutIsTerminal;
    private final List<CommandLineValue> dedicatedOptions = new ArrayList<>();
    private LoadedConfig loaded;

    /** The real process: its environment and working directory. */
    public SigilCommand() {
        this(System.getenv(), Path.of("").toAbsolutePath(), Terminal.stdoutIsTerminal());
    }

    /** Injected environment and working directory, for tests and embedding; stdout is not a terminal. */
    public SigilCommand(Map<String, String> environment, Path workingDir) {
        this(environment, workingDir, false);
    }

    SigilCommand(Map<String, String> environment, Path workingDir, boolean stdoutIsTerminal) {
        this.environment = Map.copyOf(environment);
        this.workingDir = Objects.requireNonNull(workingDir);
        this.stdoutIsTerminal = stdoutIsTerminal;
    }

    /**
     * Whether stdout goes to the terminal a person reads. Then stderr usually goes there too, and a command that
     * would show a streamed answer on stderr and the final one on stdout prints it once instead.
     */
    public boolean stdoutIsTerminal() { return stdoutIsTerminal; }

    /** This process's environment as the commands see it (injected in tests). */
    Map<String, String> environment() { return environment; }

    /**
     * The effective settings for this invocation. Subcommands reach them with
     * {@code SigilCommand.root(spec).settings()}.
     */
    public Settings settings() {
        return config().settings();
    }

    /** The loaded configuration with each value's source; loaded on first use, once per invocation. */
    public LoadedConfig config() {
        if (loaded == null) loaded = ConfigLoader.load(inputs());
        return loaded;
    }

    /** Checks the configuration without failing: for {@code sigil config validate}. */
    ConfigLoader.Outcome checkConfig() {
        return ConfigLoader.check(inputs());
    }

    /** What the loader reads: this process's environment and files plus the global options. */
    ConfigInputs inputs() {
        var values = new ArrayList<CommandLineValue>();
        if (debug) values.add(new CommandLineValue("debug", "true", "--debug"));
        values.addAll(dedicatedOptions);
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputError("--set " + s + ": expected KEY=VALUE", "e.g. --set llm.model=test");
            }
            values.add(new CommandLineValue(s.substring(0, eq).strip(), s.substring(eq + 1), "--set " + s));
        }
        return new ConfigInputs(environment, workingDir, values, envFile, configDir);
    }

    /** The root command object from any (nested) subcommand's spec. */
    public static SigilCommand root(CommandLine.Model.CommandSpec spec) {
        return (SigilCommand) spec.root().userObject();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The configured command line for this process, with every subcommand. */
    public static CommandLine commandLine() {
        return commandLine(new SigilCommand());
    }

    /** The command line for this process, built with only the subcommands {@code args} need (start-up time). */
    static CommandLine commandLineFor(String... args) {
        return commandLine(new SigilCommand(), CommandTree.neededBy(args));
    }

    /** The configured command line with an injected environment and working directory (tests). */
    public static CommandLine commandLine(Map<String, String> environment, Path workingDir) {
        return commandLine(new SigilCommand(environment, workingDir));
    }

    /** As {@link #commandLine(Map, Path)}, as if stdout were (or were not) a terminal. */
    static CommandLine commandLine(Map<String, String> environment, Path workingDir, boolean stdoutIsTerminal) {
        return commandLine(new SigilCommand(environment, workingDir, stdoutIsTerminal));
    }

    /** As {@link #commandLine(Map, Path, boolean)}, with only the subcommands {@code args} need. */
    static CommandLine commandLineFor(Map<String, String> environment, Path workingDir, boolean stdoutIsTerminal,
                                      String... args) {
        return commandLine(new SigilCommand(environment, workingDir, stdoutIsTerminal), CommandTree.neededBy(args));
    }

    private static CommandLine commandLine(SigilCommand root) {
        return commandLine(root, CommandTree.all());
    }

    private static CommandLine commandLine(SigilCommand root, List<CommandTree.Sub> subcommands) {
        CommandLine cl = new CommandLine(root);
        for (CommandTree.Sub sub : subcommands) cl.addSubcommand(sub.name(), sub.type());
        withHelp(cl);
        var reporter = new ErrorReporter();
        cl.setExecutionExceptionHandler(reporter);
        cl.setExitCodeExceptionMapper(t -> ExitCodes.USAGE);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
                c.usage(c.getOut()); // asked for help: missing arguments are not an error then
                return ExitCodes.OK;
            }
            c.getErr().println("[INVALID_INPUT] " + ex.getMessage());
            List<String> suggestions = ex instanceof CommandLine.UnmatchedArgumentException u ? suggest(c, u) : List.of();
            if (!suggestions.isEmpty()) {
                c.getErr().println("  hint: did you mean " + String.join(" or ", suggestions.stream()
                        .map(x -> "'" + c.getCommandSpec().qualifiedName() + " " + x + "'").toList()) + "?");
            }
            c.getErr().println("  hint: see '" + c.getCommandSpec().qualifiedName() + " --help'");
            return ExitCodes.USAGE;
        });
        cl.setExecutionStrategy(parseResult -> {
            Integer help = CommandLine.executeHelpRequest(parseResult);
            if (help != null) return help;
            try {
                root.prepare(parseResult);
            } catch (RuntimeException e) {
                return reporter.handleExecutionException(e, cl, parseResult);
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cl;
    }

    /**
     * Subcommands close to the first unmatched word ({@code rn} gives {@code run}): at most two edits away, nearest
     * first. picocli's own suggestions miss short words like this.
     */
    static List<String> suggest(CommandLine c, CommandLine.UnmatchedArgumentException u) {
        if (u.getUnmatched().isEmpty()) return List.of();
        String word = u.getUnmatched().getFirst();
        if (word.startsWith("-")) return u.getSuggestions();
        return c.getSubcommands().keySet().stream()
                .filter(name -> editDistance(word, name) <= Math.min(2, Math.max(1, name.length() / 2)))
                .sorted(java.util.Comparator.comparingInt((String name) -> editDistance(word, name)).thenComparing(n -> n))
                .limit(3).toList();
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    /** Every command answers {@code --help} (the usage hints point there), whether or not it declared it. */
    private static void withHelp(CommandLine cl) {
        cl.getCommandSpec().mixinStandardHelpOptions(true);
        for (CommandLine sub : cl.getSubcommands().values()) withHelp(sub);
    }

    /**
     * Loads the configuration and sets up logging before the command runs, so that configuration errors stop
     * every command with exit 2. Commands that must work with a broken configuration (help, usage, completion,
     * {@code config validate}, which reports the problems itself) are marked {@link ConfigFree}.
     */
    private void prepare(CommandLine.ParseResult parseResult) {
        List<CommandLine> chain = parseResult.asCommandLineList();
        Object command = chain.getLast().getCommand();
        for (CommandLine c : chain) {
            if (c.getCommand() instanceof SettingsOverrides o) {
                o.settingsOverrides().stream().filter(v -> v.value() != null).forEach(dedicatedOptions::add);
            }
        }
        if (command instanceof ConfigFree || command instanceof CommandLine.HelpCommand || command == this) return;
        LoadedConfig config = config();
        LogSetup.apply(config.settings());
        if (!(command instanceof ConfigFree.ShowsWarnings)) {
            var log = LoggerFactory.getLogger("io.sigil.config");
            for (ConfigIssue w : config.warnings()) log.warn("configuration: {}", w.describe());
        }
    }

    /**
     * A subcommand whose own options set configuration keys, such as {@code --model} for {@code llm.model}: the
     * values join the command line source (below {@code --set}, which is applied last) and show in
     * {@code config show --sources} as {@code command line --model}. Values that are null (option not given)
     * are skipped.
     */
    public interface SettingsOverrides {
        List<CommandLineValue> settingsOverrides();
    }

    /** Marks a command that runs without loading the configuration first. */
    interface ConfigFree {
        /** Marks a command that loads the configuration but prints its warnings itself. */
        interface ShowsWarnings { }
    }

    /** Reads the version from the jar manifest (set by the build), "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SigilCommand.class.getPackage().getImplementationVersion();
            return new String[] {"sigil " + (v == null ? "dev" : v), "Java " + Runtime.version()};
        }
    }
}
