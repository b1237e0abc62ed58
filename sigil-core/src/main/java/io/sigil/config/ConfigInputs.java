package io.sigil.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the loader reads, passed in so that loading is a pure function of its inputs (tests run the whole
 * precedence matrix without touching the real environment or working directory).
 *
 * @param environment the process environment (System.getenv() in the CLI)
 * @param workingDir  where {@code .env} and {@code config/} are looked up and relative paths are resolved
 * @param commandLine values from {@code --set key=value} and dedicated options, later ones winning
 * @param envFile     a dotenv file that must exist, or null for {@code .env} in the working directory if present
 * @param configDir   a configuration directory that must exist, or null for {@code config/} if present
 */
public record ConfigInputs(Map<String, String> environment, Path workingDir, List<CommandLineValue> commandLine,
                           Path envFile, Path configDir) {

    /** A value given on the command line: {@code option} is how the user wrote it ({@code --set llm.model=x}). */
    public record CommandLineValue(String key, String value, String option) { }

    /** Environment variables that move the files themselves (useful in containers). */
    public static final String ENV_FILE_VARIABLE = "SIGIL_ENV_FILE";
    public static final String CONFIG_DIR_VARIABLE = "SIGIL_CONFIG_DIR";

    public ConfigInputs {
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        workingDir = Objects.requireNonNull(workingDir, "workingDir").toAbsolutePath().normalize();
        commandLine = List.copyOf(commandLine);
    }

    public static ConfigInputs of(Map<String, String> environment, Path workingDir) {
        return new ConfigInputs(environment, workingDir, List.of(), null, null);
    }
}
