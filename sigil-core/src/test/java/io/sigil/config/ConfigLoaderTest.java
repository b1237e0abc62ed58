package io.sigil.config;

import io.sigil.config.ConfigInputs.CommandLineValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private void write(String relative, String... lines) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, List.of(lines));
    }

    private LoadedConfig load(Map<String, String> env, CommandLineValue... cli) {
        return ConfigLoader.load(new ConfigInputs(env, dir, List.of(cli), null, null));
    }

    private static CommandLineValue set(String key, String value) {
        return new CommandLineValue(key, value, "--set " + key + "=" + value);
    }

    /** Which of the five sources set llm.model: bit 0 default.yaml, 1 development.yaml, 2 .env, 3 env, 4 --set. */
    static Stream<Integer> everyCombinationOfSources() {
        return IntStream.range(0, 32).boxed();
    }

    @ParameterizedTest(name = "sources mask {0}")
    @MethodSource("everyCombinationOfSources")
    void theHighestSourceThatSetsAKeyWins(int mask) throws IOException {
        if ((mask & 1) != 0) write("config/default.yaml", "sigil:", "  llm:", "    model: from-default-yaml");
        if ((mask & 2) != 0) write("config/development.yaml", "llm:", "  model: from-env-yaml");
        if ((mask & 4) != 0) write(".env", "# comment", "SIGIL_LLM_MODEL=from-dotenv");
        var env = new HashMap<String, String>();
        if ((mask & 8) != 0) env.put("SIGIL_LLM__MODEL", "from-env");
        var cli = new ArrayList<CommandLineValue>();
        if ((mask & 16) != 0) cli.add(set("llm.model", "from-cli"));

        LoadedConfig config = load(env, cli.toArray(CommandLineValue[]::new));
        LoadedConfig.ResolvedValue model = config.value("llm.model");

        int top = 31 - Integer.numberOfLeadingZeros(mask);
        String expected = switch (top) {
            case 0 -> "from-default-yaml";
            case 1 -> "from-env-yaml";
            case 2 -> "from-dotenv";
            case 3 -> "from-env";
            case 4 -> "from-cli";
            default -> Settings.Llm.DEFAULTS.model();
        };
        String expectedSource = switch (top) {
            case 0 -> "config/default.yaml:3";
            case 1 -> "config/development.yaml:2";
            case 2 -> ".env:2 (SIGIL_LLM_MODEL)";
            case 3 -> "env SIGIL_LLM__MODEL";
            case 4 -> "command line --set llm.model=from-cli";
            default -> "default";
        };
        assertThat(config.settings().llm().model()).isEqualTo(expected);
        assertThat(model.source().describe()).isEqualTo(expectedSource);
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void bothEnvironmentFormsAndTheGuidesNamesWork() {
        LoadedConfig config = load(Map.of(
                "SIGIL_LLM__TEMPERATURE", "0.2",
                "SIGIL_LLM_MAX_TOKENS", "1000",
                "SIGIL_USE_MEMORY", "true",
                "SIGIL_FEATURES__PLANNING", "yes",
                "SIGIL_JWT_SECRET", "x".repeat(40),
                "ANTHROPIC_API_KEY", "sk-ant-test",
                "SIGIL_CONTRACT_DEFAULT_STRATEGY", "FALLBACK",
                "SIGIL_LOG_LEVEL", "debug",
                "PATH", "/usr/bin"));
        Settings s = config.settings();
        assertThat(s.llm().temperature()).isEqualTo(0.2);
        assertThat(s.llm().maxTokens()).isEqualTo(1000);
        assertThat(s.features().memory()).isTrue();
        assertThat(s.features().planning()).isTrue();
        assertThat(s.security().jwtSecret()).hasSize(40);
        assertThat(s.llm().anthropicApiKey()).isEqualTo("sk-ant-test");
        assertThat(s.contracts().defaultStrategy()).isEqualTo("fallback");
        assertThat(s.logging().level()).isEqualTo("DEBUG");
        assertThat(config.value("llm.anthropic_api_key").source()).isEqualTo(new ValueSource.Environment("ANTHROPIC_API_KEY"));
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void theNestedFormWinsOverTheFlatOneWithAWarning() {
        LoadedConfig config = load(Map.of("SIGIL_LLM__MODEL", "nested", "SIGIL_LLM_MODEL", "flat"));
        assertThat(config.settings().llm().model()).isEqualTo("nested");
        assertThat(config.warnings()).singleElement().satisfies(w -> assertThat(w.describe())
                .isEqualTo("llm.model = flat (env SIGIL_LLM_MODEL): also set as SIGIL_LLM__MODEL, which wins; remove one of them"));
    }

    @Test
    void nestedYamlSectionsListsDurationsAndTheOptionalSigilRoot() throws IOException {
        write("config/default.yaml",
                "features:",
                "  memory: true",
                "llm:",
                "  timeout: 2m",
                "api:",
                "  cors_origins:",
                "    - https://a.example",
                "    - https://b.example",
                "  max_body_bytes: 2MB",
                "logging:",
                "  file: logs/sigil.log");
        Settings s = load(Map.of()).settings();
        assertThat(s.features().memory()).isTrue();
        assertThat(s.llm().timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.api().corsOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(s.api().maxBodyBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(s.logging().file()).isEqualTo(dir.toAbsolutePath().resolve("logs/sigil.log"));
        assertThat(s.memory().dataDir()).isEqualTo(dir.toAbsolutePath().resolve("data/memory"));
    }

    @Test
    void eventAnchorsAreOnByDefaultAndHaveTheirOwnSwitch() {
        Settings defaults = load(Map.of()).settings();
        assertThat(io.sigil.memory.retrieval.TemporalBoost.of(defaults.memory()))
                .isEqualTo(new io.sigil.memory.retrieval.TemporalBoost(0.3, true));
        Settings off = load(Map.of("SIGIL_MEMORY__TEMPORAL_ANCHORS", "false")).settings();
        assertThat(io.sigil.memory.retrieval.TemporalBoost.of(off.memory()))
                .isEqualTo(new io.sigil.memory.retrieval.TemporalBoost(0.3, false));
        assertThatThrownBy(() -> load(Map.of("SIGIL_MEMORY__TEMPORAL_ANCHORS", "sometimes")))
                .isInstanceOf(InvalidConfiguration.class).hasMessageContaining("memory.temporal_anchors = sometimes");
    }

    @Test
    void theGuidesCorsListInDotEnvForm() {
        Settings s = load(Map.of("SIGIL_API_CORS_ORIGINS", "[\"http://localhost:3000\", \"https://app.example\"]")).settings();
        assertThat(s.api().corsOrigins()).containsExactly("http://localhost:3000", "https://app.example");
    }

    @Test
    void aRangeErrorNamesTheKeyTheSourceTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> load(Map.of("SIGIL_LLM__TEMPERATURE", "3")))
                .isInstanceOf(InvalidConfiguration.class)
                .hasMessage("invalid configuration: llm.temperature = 3 (env SIGIL_LLM__TEMPERATURE): allowed 0..2");
    }

    @Test
    void everyProblemIsReportedAtOnceWithFileAndLine() throws IOException {
        write("config/default.yaml", "llm:", "  max_tokens: lots", "api:", "  port: 70000", "  hots: 0.0.0.0");
        write(".env", "SIGIL_USE_MEMORY=maybe", "not a line");
        var e = (InvalidConfiguration) org.assertj.core.api.Assertions.catchThrowable(() -> load(
                Map.of("SIGIL_LLM__PROVIDER", "gemini", "SIGIL_ENVIRONMENT", "prod"), set("memory.retrieval_k", "0")));
        assertThat(e.errors()).extracting(ConfigIssue::describe).containsExactlyInAnyOrder(
                "configuration (.env:2): expected NAME=value (a name of letters, digits and _, then =)",
                "environment = prod (env SIGIL_ENVIRONMENT): allowed one of development, staging, production, test",
                "features.memory = maybe (.env:1 (SIGIL_USE_MEMORY)): allowed true or false",
                "llm.provider = gemini (env SIGIL_LLM__PROVIDER): allowed one of anthropic, openai, ollama, test",
                "llm.max_tokens = lots (config/default.yaml:2): allowed a whole number in 1..1000000",
                "memory.retrieval_k = 0 (command line --set memory.retrieval_k=0): allowed 1..100",
                "api.port = 70000 (config/default.yaml:4): allowed 0..65535");
        assertThat(e.issues()).filteredOn(i -> !i.isError()).extracting(ConfigIssue::describe)
                .containsExactly("api.hots (config/default.yaml:5): unknown key, ignored; did you mean api.host?");
        assertThat(e.getMessage()).startsWith("invalid configuration, 7 problems:\n  - ");
        assertThat(e.code()).isEqualTo(io.sigil.errors.ErrorCode.CONFIG_ERROR);
    }

    @Test
    void unknownKeysInFilesAndSigilVariablesAreWarningsButUnknownSetKeysAreErrors() throws IOException {
        write("config/default.yaml", "sigil:", "  api:", "    reload: true", "  memroy:", "    data_dir: x");
        write(".env", "SIGIL_LLM_MODLE=x", "OTHER_TOOL_SETTING=1");
        LoadedConfig config = load(Map.of("SIGIL_JAVA_OPTS", "-Xmx1g", "SIGIL_USE_MEMROY", "true"));
        assertThat(config.warnings()).extracting(ConfigIssue::describe).containsExactlyInAnyOrder(
                "api.reload (config/default.yaml:3): has no effect in Sigil (the server does not hot-reload); remove it",
                "memroy.data_dir (config/default.yaml:5): unknown key, ignored; did you mean memory.data_dir?",
                "configuration (.env:1 (SIGIL_LLM_MODLE)): unknown setting, ignored; did you mean SIGIL_LLM_MODEL?",
                "configuration (env SIGIL_USE_MEMROY): unknown setting, ignored; did you mean SIGIL_USE_MEMORY?");

        assertThatThrownBy(() -> load(Map.of(), set("llm.modle", "x")))
                .hasMessageContaining("llm.modle (command line --set llm.modle=x): unknown key; did you mean llm.model?");
    }

    @Test
    void theEnvironmentChoosesItsYamlFromHigherSources() throws IOException {
        write("config/default.yaml", "environment: staging", "api:", "  port: 1000");
        write("config/staging.yaml", "api:", "  port: 2000");
        write("config/test.yaml", "api:", "  port: 3000");
        assertThat(load(Map.of()).settings().api().port()).isEqualTo(2000);
        assertThat(load(Map.of("SIGIL_ENVIRONMENT", "test")).settings().api().port()).isEqualTo(3000);
        assertThat(load(Map.of("SIGIL_ENVIRONMENT", "development")).settings().api().port()).isEqualTo(1000);
    }

    @Test
    void anEnvironmentFileCannotChangeTheEnvironment() throws IOException {
        write("config/development.yaml", "environment: production");
        assertThatThrownBy(() -> load(Map.of())).hasMessageContaining(
                "environment = production (config/development.yaml:1): this file is loaded for environment development");
    }

    @Test
    void productionRefusesAMissingOrShortJwtSecretAndDebugMode() {
        assertThatThrownBy(() -> load(Map.of("SIGIL_ENVIRONMENT", "production")))
                .hasMessage("invalid configuration: security.jwt_secret (default): required in production: set "
                        + "SIGIL_JWT_SECRET to a random string of at least 32 characters (e.g. openssl rand -base64 48)");

        var e = (InvalidConfiguration) org.assertj.core.api.Assertions.catchThrowable(() -> load(Map.of(
                "SIGIL_ENVIRONMENT", "production", "SIGIL_JWT_SECRET", "short-secret", "SIGIL_API_DEBUG", "true"),
                new CommandLineValue("debug", "true", "--debug")));
        assertThat(e.errors()).extracting(ConfigIssue::describe).containsExactlyInAnyOrder(
                "security.jwt_secret = *** (env SIGIL_JWT_SECRET): must be at least 32 characters, is 12 (refused in production)",
                "debug = true (command line --debug): debug mode is refused in production; set it to false",
                "api.debug = true (env SIGIL_API_DEBUG): debug mode is refused in production; set it to false");
        assertThat(e.getMessage()).doesNotContain("short-secret");

        Settings ok = load(Map.of("SIGIL_ENVIRONMENT", "production", "SIGIL_JWT_SECRET", "s".repeat(32))).settings();
        assertThat(ok.environment()).isEqualTo(Settings.Environment.PRODUCTION);
    }

    @Test
    void aShortSecretOutsideProductionIsAWarning() {
        LoadedConfig config = load(Map.of("SIGIL_JWT_SECRET", "short"));
        assertThat(config.warnings()).extracting(ConfigIssue::describe).containsExactly(
                "security.jwt_secret = *** (env SIGIL_JWT_SECRET): must be at least 32 characters, is 5 (refused in production)");
    }

    @Test
    void badSecretValuesAreMaskedInErrorsAndUrlPasswordsHidden() {
        var e = (InvalidConfiguration) org.assertj.core.api.Assertions.catchThrowable(() -> load(Map.of(
                "DATABASE_URL", "mysql://sigil:hunter2@db/sigil")));
        assertThat(e.getMessage()).contains("services.database_url = mysql://sigil:***@db/sigil (env DATABASE_URL)")
                .doesNotContain("hunter2");
        LoadedConfig ok = load(Map.of("DATABASE_URL", "postgresql://sigil:hunter2@db:5432/sigil"));
        assertThat(ok.value("services.database_url").shown()).isEqualTo("postgresql://sigil:***@db:5432/sigil");
        assertThat(ok.settings().services().databaseUrl()).contains("hunter2");
        assertThat(load(Map.of("REDIS_URL", "redis://sigil_redis:6379/0")).settings().services().redisUrl())
                .isEqualTo("redis://sigil_redis:6379/0");
    }

    @Test
    void jdbcDatabaseUrlsAreAcceptedWithTheirPasswordMasked() {
        LoadedConfig ok = load(Map.of("DATABASE_URL", "jdbc:postgresql://db:5432/sigil?user=sigil&password=hunter2&ssl=true"));
        assertThat(ok.value("services.database_url").shown())
                .isEqualTo("jdbc:postgresql://db:5432/sigil?user=sigil&password=***&ssl=true");
        assertThat(ok.settings().services().databaseUrl()).contains("hunter2");
        var e = (InvalidConfiguration) org.assertj.core.api.Assertions.catchThrowable(() -> load(Map.of(
                "DATABASE_URL", "jdbc:mysql://db/sigil?password=hunter2")));
        assertThat(e.getMessage()).contains("jdbc:mysql://db/sigil?password=***").doesNotContain("hunter2");
        LoadedConfig pool = load(Map.of("SIGIL_DATABASE__POOL_SIZE", "5", "SIGIL_DATABASE__MIGRATE_ON_START", "false"));
        assertThat(pool.settings().services().database().poolSize()).isEqualTo(5);
        assertThat(pool.settings().services().database().migrateOnStart()).isFalse();
        assertThat(pool.settings().services().database().maxOverflow()).isEqualTo(10);
    }

    @Test
    void thePostgresBackendNeedsADatabaseUrl() {
        assertThatThrownBy(() -> load(Map.of("SIGIL_STATE__BACKEND", "postgres")))
                .hasMessageContaining("state.backend = postgres (env SIGIL_STATE__BACKEND): needs services.database_url");
    }

    @Test
    void explicitFilesMustExistAndMayComeFromVariables() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(new ConfigInputs(Map.of(), dir, List.of(), Path.of("missing.env"), null)))
                .hasMessageContaining("missing.env (command line --env-file): no such file");
        write("deploy/prod.env", "SIGIL_LLM_MODEL=from-named-env-file");
        write("etc/sigil/default.yaml", "api:", "  port: 9000");
        LoadedConfig config = load(Map.of("SIGIL_ENV_FILE", "deploy/prod.env", "SIGIL_CONFIG_DIR", "etc/sigil"));
        assertThat(config.settings().llm().model()).isEqualTo("from-named-env-file");
        assertThat(config.value("api.port").source().describe()).isEqualTo("etc/sigil/default.yaml:2");
    }

    @Test
    void emptyOptionalValuesUnsetWhatLowerSourcesSet() throws IOException {
        write("config/default.yaml", "logging:", "  file: logs/sigil.log");
        assertThat(load(Map.of("SIGIL_LOG_FILE", "")).settings().logging().file()).isNull();
    }

    @Test
    void withNothingConfiguredTheSettingsAreTheDefaults() {
        LoadedConfig config = load(Map.of());
        Settings d = Settings.defaults();
        Settings s = config.settings();
        assertThat(s.llm()).isEqualTo(d.llm());
        assertThat(s.features()).isEqualTo(d.features());
        assertThat(s.security()).isEqualTo(d.security());
        assertThat(s.api()).isEqualTo(d.api());
        assertThat(s.memory().dataDir()).isEqualTo(dir.toAbsolutePath().resolve("data/memory"));
        assertThat(config.values()).allSatisfy(v -> assertThat(v.source()).isEqualTo(new ValueSource.Default()));
    }
}
