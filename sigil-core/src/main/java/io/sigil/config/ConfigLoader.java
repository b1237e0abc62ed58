package io.sigil.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads Sigil's configuration. Sources, highest first: command line ({@code --set}, dedicated options),
 * environment, {@code .env} in the working directory, {@code <config>/<environment>.yaml},
 * {@code <config>/default.yaml}, the defaults of {@link Settings}. The configuration directory is the first of
 * {@code --config-dir}, {@code SIGIL_CONFIG_DIR}, {@code ./config} and {@code $XDG_CONFIG_HOME/sigil}
 * (~/.config/sigil) that is given or exists. Every problem is collected before anything is reported, so one run shows all.
 *
 * <p>Pure: it reads only the files named by its {@link ConfigInputs}, never the process environment.
 */
public final class ConfigLoader {

    /** JWT secrets shorter than this are refused in production (and warned about elsewhere). */
    public static final int MIN_JWT_SECRET_LENGTH = 32;

    private record Candidate(String raw, ValueSource source) { }

    /** The outcome of a check: the configuration when there were no errors, and every issue found. */
    public record Outcome(Optional<LoadedConfig> config, List<ConfigIssue> issues) {
        public List<ConfigIssue> errors() { return issues.stream().filter(ConfigIssue::isError).toList(); }
        public List<ConfigIssue> warnings() { return issues.stream().filter(i -> !i.isError()).toList(); }
    }

    private final ConfigInputs in;
    private final List<ConfigIssue> issues = new ArrayList<>();
    private final List<String> filesRead = new ArrayList<>();
    /** Where relative paths from files and defaults start: see {@link #pathBase}. */
    private Path pathBase;

    private ConfigLoader(ConfigInputs in) {
        this.in = in;
    }

    /** Loads the configuration or throws {@link InvalidConfiguration} listing every error. */
    public static LoadedConfig load(ConfigInputs inputs) {
        Outcome outcome = check(inputs);
        return outcome.config().orElseThrow(() -> new InvalidConfiguration(outcome.issues()));
    }

    /** Loads the configuration and reports every issue without throwing. */
    public static Outcome check(ConfigInputs inputs) {
        return new ConfigLoader(inputs).run();
    }

    private Outcome run() {
        Path configDir = location(in.configDir(), ConfigInputs.CONFIG_DIR_VARIABLE, "config", "--config-dir", true);
        boolean explicitOrLocal = configDir != null;
        if (configDir == null && !explicitConfigDir()) configDir = userConfigDir();
        pathBase = pathBase(configDir, explicitOrLocal);
        Path envFile = location(in.envFile(), ConfigInputs.ENV_FILE_VARIABLE, ".env", "--env-file", false);

        Map<String, Candidate> defaultYaml = yamlLayer(configDir == null ? null : configDir.resolve("default.yaml"));
        Map<String, Candidate> dotEnv = dotEnvLayer(envFile);
        Map<String, Candidate> environment = environmentLayer();
        Map<String, Candidate> commandLine = commandLineLayer();

        // The environment picks its own YAML file, so it is resolved from every other source first.
        String envName = highest("environment", commandLine, environment, dotEnv, defaultYaml)
                .map(c -> c.raw().strip().toLowerCase(Locale.ROOT)).orElse(ConfigCatalogue.byKey("environment")
                        .orElseThrow().defaultText());
        Map<String, Candidate> environmentYaml = Map.of();
        if (configDir != null && envName.matches("development|staging|production|test")) {
            environmentYaml = yamlLayer(configDir.resolve(envName + ".yaml"));
            Candidate own = environmentYaml.get("environment");
            if (own != null && !own.raw().strip().equalsIgnoreCase(envName)) {
                issues.add(ConfigIssue.error("environment", own.source(), own.raw(),
                        "this file is loaded for environment " + envName + " and cannot change it; remove the line"));
            }
        }

        var values = new LinkedHashMap<String, Object>();
        var resolved = new ArrayList<LoadedConfig.ResolvedValue>();
        Settings defaults = Settings.defaults();
        for (ConfigKey key : ConfigCatalogue.all()) {
            Optional<Candidate> given = highest(key.key(), commandLine, environment, dotEnv, environmentYaml, defaultYaml);
            Object value = key.read(defaults);
            ValueSource source = new ValueSource.Default();
            if (given.isPresent()) {
                source = given.get().source();
                try {
                    value = key.type().parse(given.get().raw());
                } catch (ValueType.Invalid e) {
                    issues.add(ConfigIssue.error(key.key(), source, key.mask(given.get().raw().strip()), "allowed " + e.getMessage()));
                    continue;
                }
            }
            if (value instanceof Path p) value = baseFor(source).resolve(p).normalize();
            values.put(key.key(), value);
            resolved.add(new LoadedConfig.ResolvedValue(key, value, source));
        }
        if (values.size() == ConfigCatalogue.all().size()) checkCombinations(resolved);
        if (issues.stream().anyMatch(ConfigIssue::isError)) return new Outcome(Optional.empty(), List.copyOf(issues));
        Settings settings = new SettingsBinder(values).bind();
        var warnings = issues.stream().filter(i -> !i.isError()).toList();
        return new Outcome(Optional.of(new LoadedConfig(settings, resolved, warnings, filesRead)), List.copyOf(issues));
    }

    /** Rules over several keys: the production guard, and backends that need their service. */
    private void checkCombinations(List<LoadedConfig.ResolvedValue> resolved) {
        Map<String, LoadedConfig.ResolvedValue> v = new HashMap<>();
        resolved.forEach(r -> v.put(r.key().key(), r));
        boolean production = "production".equals(v.get("environment").value());
        LoadedConfig.ResolvedValue secret = v.get("security.jwt_secret");
        String jwt = (String) secret.value();
        if (production && jwt == null) {
            issues.add(ConfigIssue.error("security.jwt_secret", secret.source(), null,
                    "required in production: set SIGIL_JWT_SECRET to a random string of at least "
                            + MIN_JWT_SECRET_LENGTH + " characters (e.g. openssl rand -base64 48)"));
        } else if (jwt != null && jwt.length() < MIN_JWT_SECRET_LENGTH) {
            String msg = "must be at least " + MIN_JWT_SECRET_LENGTH + " characters, is " + jwt.length();
            issues.add(production
                    ? ConfigIssue.error("security.jwt_secret", secret.source(), ConfigKey.MASK, msg + " (refused in production)")
                    : ConfigIssue.warning("security.jwt_secret", secret.source(), ConfigKey.MASK, msg + " (refused in production)"));
        }
        for (String debugKey : List.of("debug", "api.debug")) {
            LoadedConfig.ResolvedValue d = v.get(debugKey);
            if (production && Boolean.TRUE.equals(d.value())) {
                issues.add(ConfigIssue.error(debugKey, d.source(), "true", "debug mode is refused in production; set it to false"));
            }
        }
        LoadedConfig.ResolvedValue backend = v.get("state.backend");
        if ("postgres".equals(backend.value()) && v.get("services.database_url").value() == null) {
            issues.add(ConfigIssue.error("state.backend", backend.source(), "postgres",
                    "needs services.database_url (DATABASE_URL=postgresql://user:password@host:5432/db)"));
        }
        checkWhatRunningRefuses(v);
    }

    /**
     * What the runtime would refuse or ignore, found here so that {@code sigil config validate} fails (or warns)
     * exactly where {@code sigil run} and {@code sigil serve} would.
     */
    private void checkWhatRunningRefuses(Map<String, LoadedConfig.ResolvedValue> v) {
        LoadedConfig.ResolvedValue model = v.get("memory.embedding_model");
        String name = model.value() == null ? null : ((String) model.value()).strip();
        if (name != null && !LOCAL_EMBEDDING_MODELS.contains(name) && v.get("memory.embedding_base_url").value() == null) {
            issues.add(ConfigIssue.error("memory.embedding_model", model.source(), name,
                    "is not available locally; use " + String.join(" or ", LOCAL_EMBEDDING_MODELS)
                            + ", or set memory.embedding_base_url to an OpenAI-compatible endpoint that serves it"));
        }
        LoadedConfig.ResolvedValue workers = v.get("api.workers");
        if (!(workers.source() instanceof ValueSource.Default) && ((Number) workers.value()).intValue() != 1) {
            issues.add(ConfigIssue.warning("api.workers", workers.source(), String.valueOf(workers.value()),
                    "ignored: the server runs every request on its own virtual thread, so there is no pool to size"));
        }
        for (var unused : UNUSED_SERVICES.entrySet()) {
            String value = in.environment().get(unused.getKey());
            if (value != null && !value.isBlank()) {
                issues.add(ConfigIssue.warning(null, new ValueSource.Environment(unused.getKey()), null, unused.getValue()));
            }
        }
    }

    /** The embedding models that run in-process (see OnnxEmbedder); any other needs memory.embedding_base_url. */
    static final List<String> LOCAL_EMBEDDING_MODELS = List.of("e5-small-v2-q", "all-minilm-l6-v2-q", "all-minilm-l6-v2",
            "bge-small-en-v1.5-q");

    /** Services of other stacks or later versions that users set from older guides; Sigil does not connect to them. */
    private static final Map<String, String> UNUSED_SERVICES = Map.of(
            "QDRANT_URL", "ignored: memory uses its embedded Lucene index (memory.data_dir), not Qdrant",
            "CHROMA_URL", "ignored: memory uses its embedded Lucene index (memory.data_dir), not Chroma");

    private boolean explicitConfigDir() {
        String v = in.environment().get(ConfigInputs.CONFIG_DIR_VARIABLE);
        return in.configDir() != null || (v != null && !v.isBlank());
    }

    /** The user's configuration directory, the last place searched: {@code $XDG_CONFIG_HOME/sigil} (~/.config/sigil). */
    private Path userConfigDir() {
        Path dir = xdg("XDG_CONFIG_HOME", ".config");
        return dir != null && Files.isDirectory(dir.resolve("sigil")) ? dir.resolve("sigil") : null;
    }

    private Path xdg(String variable, String underHome) {
        String v = in.environment().get(variable);
        if (v != null && !v.isBlank() && Path.of(v.strip()).isAbsolute()) return Path.of(v.strip());
        String home = in.environment().get("HOME");
        return home == null || home.isBlank() ? null : Path.of(home.strip(), underHome);
    }

    /**
     * Relative paths in configuration files and the defaults (./data/state, ./agents, ...) belong to the
     * configuration, not to wherever the command happens to run: they start at the directory that holds the
     * configuration directory (the project: {@code <project>/config/default.yaml}), or, for the user's own
     * configuration in ~/.config/sigil, at {@code $XDG_DATA_HOME/sigil} (~/.local/share/sigil). Without any
     * configuration directory they start at the working directory. Paths given in the environment, .env or on the
     * command line start at the working directory, where the user typed them.
     */
    private Path pathBase(Path configDir, boolean explicitOrLocal) {
        if (configDir == null) return in.workingDir();
        if (explicitOrLocal) return configDir.getParent() == null ? configDir : configDir.getParent();
        Path data = xdg("XDG_DATA_HOME", ".local/share");
        return data == null ? in.workingDir() : data.resolve("sigil");
    }

    private Path baseFor(ValueSource source) {
        return source instanceof ValueSource.YamlFile || source instanceof ValueSource.Default ? pathBase : in.workingDir();
    }

    /** A file or directory given explicitly (option, then variable) must exist; the default one may be absent. */
    private Path location(Path explicit, String variable, String defaultName, String option, boolean directory) {
        Path given = explicit;
        String how = option;
        if (given == null && in.environment().get(variable) != null && !in.environment().get(variable).isBlank()) {
            given = Path.of(in.environment().get(variable).strip());
            how = variable;
        }
        if (given == null) {
            Path p = in.workingDir().resolve(defaultName);
            return (directory ? Files.isDirectory(p) : Files.isRegularFile(p)) ? p : null;
        }
        Path p = in.workingDir().resolve(given).normalize();
        if (directory ? !Files.isDirectory(p) : !Files.isRegularFile(p)) {
            issues.add(ConfigIssue.error(null, how.startsWith("--") ? new ValueSource.CommandLine(how)
                    : new ValueSource.Environment(how), given.toString(),
                    (directory ? "no such directory" : "no such file") + " (relative paths start at " + in.workingDir() + ")"));
            return null;
        }
        return p;
    }

    @SafeVarargs
    private static Optional<Candidate> highest(String key, Map<String, Candidate>... layers) {
        for (Map<String, Candidate> layer : layers) {
            Candidate c = layer.get(key);
            if (c != null) return Optional.of(c);
        }
        return Optional.empty();
    }

    private Map<String, Candidate> yamlLayer(Path file) {
        if (file == null || !Files.isRegularFile(file)) return Map.of();
        Path shown = shown(file);
        filesRead.add(file.toAbsolutePath().normalize().toString());
        YamlConfigFile.Result result;
        try {
            result = YamlConfigFile.read(file, shown);
        } catch (IOException e) {
            issues.add(ConfigIssue.error(null, new ValueSource.YamlFile(shown, 1), null, "cannot read: " + e.getMessage()));
            return Map.of();
        }
        issues.addAll(result.problems());
        var layer = new HashMap<String, Candidate>();
        for (YamlConfigFile.Entry e : result.entries()) {
            var source = new ValueSource.YamlFile(shown, e.line());
            Optional<ConfigKey> key = ConfigCatalogue.byKey(e.key());
            if (key.isPresent()) {
                layer.put(e.key(), new Candidate(e.value(), source));
            } else {
                String why = ConfigCatalogue.ignoredReason(e.key()).orElseGet(() -> "unknown key, ignored"
                        + ConfigCatalogue.suggest(e.key()).map(s -> "; did you mean " + s + "?").orElse(""));
                issues.add(ConfigIssue.warning(e.key(), source, null, why));
            }
        }
        return layer;
    }

    private Map<String, Candidate> dotEnvLayer(Path file) {
        if (file == null) return Map.of();
        Path shown = shown(file);
        filesRead.add(file.toAbsolutePath().normalize().toString());
        DotEnvFile.Result result;
        try {
            result = DotEnvFile.read(file);
        } catch (IOException e) {
            issues.add(ConfigIssue.error(null, new ValueSource.DotEnv(shown, 1, null), null, "cannot read: " + e.getMessage()));
            return Map.of();
        }
        result.problems().forEach(p -> issues.add(new ConfigIssue(p.severity(), p.key(),
                p.source() instanceof ValueSource.DotEnv d ? new ValueSource.DotEnv(shown, d.line(), d.variable()) : p.source(),
                p.value(), p.message())));
        var byName = new LinkedHashMap<String, DotEnvFile.Entry>();
        for (DotEnvFile.Entry e : result.entries()) {
            DotEnvFile.Entry before = byName.put(e.name(), e);
            if (before != null) {
                issues.add(ConfigIssue.warning(null, new ValueSource.DotEnv(shown, e.line(), e.name()), null,
                        "set twice (also on line " + before.line() + "); the later value wins"));
            }
        }
        var values = new HashMap<String, String>();
        byName.forEach((n, e) -> values.put(n, e.value()));
        return namedLayer(values, name -> new ValueSource.DotEnv(shown, byName.get(name).line(), name));
    }

    private Map<String, Candidate> environmentLayer() {
        return namedLayer(in.environment(), ValueSource.Environment::new);
    }

    /** Maps variables to keys: for each key the first of its names that is set wins (nested, flat, aliases). */
    private Map<String, Candidate> namedLayer(Map<String, String> variables,
                                             java.util.function.Function<String, ValueSource> sourceOf) {
        var layer = new HashMap<String, Candidate>();
        for (ConfigKey key : ConfigCatalogue.all()) {
            String winner = null;
            for (String name : key.envNames()) {
                String value = variables.get(name);
                if (value == null) continue;
                if (winner == null) {
                    winner = name;
                    layer.put(key.key(), new Candidate(value, sourceOf.apply(name)));
                } else if (!value.equals(variables.get(winner))) {
                    issues.add(ConfigIssue.warning(key.key(), sourceOf.apply(name), key.mask(value),
                            "also set as " + winner + ", which wins; remove one of them"));
                }
            }
        }
        for (String name : variables.keySet()) {
            if (name.startsWith("SIGIL_") && ConfigCatalogue.byEnvName(name).isEmpty()
                    && !ConfigCatalogue.LAUNCHER_VARIABLES.contains(name)
                    && !name.equals(ConfigInputs.ENV_FILE_VARIABLE) && !name.equals(ConfigInputs.CONFIG_DIR_VARIABLE)) {
                issues.add(ConfigIssue.warning(null, sourceOf.apply(name), null, "unknown setting, ignored"
                        + ConfigCatalogue.suggestEnv(name).map(s -> "; did you mean " + s + "?").orElse("")));
            }
        }
        return layer;
    }

    private Map<String, Candidate> commandLineLayer() {
        var layer = new HashMap<String, Candidate>();
        for (ConfigInputs.CommandLineValue v : in.commandLine()) {
            var source = new ValueSource.CommandLine(v.option());
            Optional<ConfigKey> key = ConfigCatalogue.byKey(v.key());
            if (key.isEmpty()) {
                // A typo on the command line is a usage error, not a warning: the user is looking at it now.
                issues.add(ConfigIssue.error(v.key(), source, null, "unknown key"
                        + ConfigCatalogue.suggest(v.key()).map(s -> "; did you mean " + s + "?")
                        .orElse("; see docs/configuration.md or sigil config show")));
            } else {
                layer.put(v.key(), new Candidate(Objects.requireNonNull(v.value()), source));
            }
        }
        return layer;
    }

    /** Files inside the working directory are shown relative to it: {@code config/default.yaml:7}. */
    private Path shown(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(in.workingDir()) ? in.workingDir().relativize(abs) : abs;
    }
}
