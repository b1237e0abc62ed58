package io.sigil.config;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the configuration reference (docs/configuration.md) and {@code .env.example} from the catalogue, so the
 * documentation cannot drift from the code: a test compares both files with what this produces.
 * Regenerate with {@code bin/sigil config reference > docs/configuration.md} and
 * {@code bin/sigil config reference --env-example > .env.example}.
 */
public final class ConfigReference {

    private static final Map<String, String> SECTIONS = Map.ofEntries(
            Map.entry("", "General"), Map.entry("features", "Feature flags"), Map.entry("llm", "LLM"),
            Map.entry("memory", "Memory"), Map.entry("contracts", "Contracts"), Map.entry("state", "State (event store)"),
            Map.entry("api", "API server"), Map.entry("security", "Security"), Map.entry("guard", "Injection guard"),
            Map.entry("logging", "Logging"),
            Map.entry("telemetry", "Telemetry"), Map.entry("routing", "Routing"), Map.entry("agents", "Agents"),
            Map.entry("tools", "Tool integrations"), Map.entry("services", "Shared services"));

    private ConfigReference() { }

    public static String markdown() {
        var sb = new StringBuilder();
        sb.append("""
                # Configuration reference

                <!-- Generated from io.sigil.config.ConfigCatalogue by `bin/sigil config reference`; do not edit by hand. -->

                Sigil reads its settings from these sources, highest first:

                1. the command line: `--set key=value` (repeatable) and dedicated options (`--debug`);
                2. environment variables;
                3. `.env` in the working directory (or the file named by `--env-file` / `SIGIL_ENV_FILE`);
                4. `<config>/<environment>.yaml` (`environment` itself comes from the sources above or `default.yaml`);
                5. `<config>/default.yaml`;
                6. the built-in defaults below.

                The configuration directory `<config>` is found the same way from any working directory: the first of
                `--config-dir DIR`, `SIGIL_CONFIG_DIR`, `./config`, and the user's `$XDG_CONFIG_HOME/sigil`
                (`~/.config/sigil`) that is given or exists (a directory given explicitly must exist).
                `sigil config show --sources` starts with the files it read.

                Every key can be set by its dotted name with `--set`, in YAML as nested mappings (optionally under a
                top-level `sigil:`; `features: memory: true` is `features.memory`), and in the environment or `.env` by
                any of its names: the nested form `SIGIL_LLM__MODEL`, the flat form `SIGIL_LLM_MODEL`, and the guide's
                names such as `SIGIL_USE_MEMORY` or `ANTHROPIC_API_KEY`. When several names of one key are set, the
                first listed wins and the others are reported.

                Relative paths (data directories, `agents.dir`, `contracts.dir`) in a YAML file and in the defaults
                belong to the configuration, not to where a command runs: they start at the directory that holds the
                configuration directory (with `<checkout>/config`, the default `./data/state` is `<checkout>/data/state`),
                or at `$XDG_DATA_HOME/sigil` (`~/.local/share/sigil`) for the user's `~/.config/sigil`; with no
                configuration directory at all, at the working directory. Paths given in the environment, `.env` or on
                the command line start at the working directory, where they were typed.

                `sigil config show --sources` prints every effective value and where it came from; `sigil config validate`
                checks everything and exits 2 listing all problems (key, source with file and line, value, what is
                allowed), failing exactly where running would (the postgres backend without a database URL, an embedding model
                that does not run locally without `memory.embedding_base_url`). Unknown keys in files and unknown
                `SIGIL_*` variables are warnings, as are settings without effect (`api.workers`,
                `QDRANT_URL`); unknown `--set` keys are errors. Secrets are shown as `***` everywhere (URLs keep everything but the password).

                With `environment=production` Sigil refuses to start without `security.jwt_secret` of at least 32
                characters, and with `debug` or `api.debug` on.

                Values: booleans are `true/false` (also `yes/no`, `on/off`, `1/0`); durations are seconds (`60`) or with
                a unit (`500ms`, `90s`, `5m`, `1h`); sizes are bytes or `KB`/`MB`/`GB`; lists are `["a", "b"]` or `a,b`
                (a YAML sequence in files); an empty value unsets an optional key.
                """);
        ConfigCatalogue.bySection().forEach((section, keys) -> {
            sb.append("\n## ").append(SECTIONS.getOrDefault(section, section)).append("\n\n");
            sb.append("| Key | Environment | Default | Allowed | Description |\n");
            sb.append("|-----|-------------|---------|---------|-------------|\n");
            for (ConfigKey k : keys) {
                sb.append("| `").append(k.key()).append("`").append(k.isSecret() ? " (secret)" : "")
                        .append(" | ").append(k.envNames().stream().map(n -> "`" + n + "`").collect(Collectors.joining("<br>")))
                        .append(" | ").append(k.defaultText().isEmpty() ? "-" : "`" + k.defaultText() + "`")
                        .append(" | ").append(cell(k.type().allowed()))
                        .append(" | ").append(cell(k.description())).append(" |\n");
            }
        });
        sb.append("""

                ## Launcher variables

                | Variable | Description |
                |----------|-------------|
                | `SIGIL_JAVA_OPTS` | Extra JVM options for `bin/sigil` (e.g. `-Xmx2g`). |
                | `SIGIL_ENV_FILE` | Dotenv file to read instead of `./.env`; must exist. |
                | `SIGIL_CONFIG_DIR` | Directory of `default.yaml` and `<environment>.yaml` instead of `./config`; must exist. |
                | `XDG_CONFIG_HOME`, `XDG_DATA_HOME` | Where the user's configuration (`sigil/` under it, searched last) and its data live. |
                | `SIGIL_CACHE_DIR` | Where local embedding models are extracted once from their jars (`models/` under it) and then read on every start; default `$XDG_CACHE_HOME/sigil` (`~/.cache/sigil`). Safe to delete. |
                """);
        return sb.toString();
    }

    /** {@code .env.example}: every key with its guide name and default, commented out, grouped by section. */
    public static String envExample() {
        var sb = new StringBuilder("""
                # Sigil environment file: copy to .env and uncomment what you change.
                # Generated from the configuration catalogue (bin/sigil config reference --env-example); every key is
                # listed with its default. Full reference: docs/configuration.md. Never commit a real .env.
                """);
        ConfigCatalogue.bySection().forEach((section, keys) -> {
            sb.append("\n# ").append("-".repeat(77)).append("\n# ").append(SECTIONS.getOrDefault(section, section))
                    .append("\n# ").append("-".repeat(77)).append('\n');
            for (ConfigKey k : keys) {
                sb.append("# ").append(k.description());
                List<String> others = k.envNames().stream().filter(n -> !n.equals(k.primaryEnvName())).toList();
                sb.append(" Allowed: ").append(k.type().allowed()).append('.');
                if (!others.isEmpty()) sb.append(" Also: ").append(String.join(", ", others)).append('.');
                sb.append("\n# ").append(k.primaryEnvName()).append('=').append(envValue(k)).append('\n');
            }
        });
        return sb.toString();
    }

    private static String envValue(ConfigKey k) {
        String v = k.defaultText();
        return v.contains(" ") || v.contains("#") ? "'" + v + "'" : v;
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }
}
