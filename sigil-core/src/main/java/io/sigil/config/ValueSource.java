package io.sigil.config;

import java.nio.file.Path;

/** Where a configuration value came from, shown by {@code sigil config show --sources} and in every error. */
public sealed interface ValueSource {

    /** How a person finds the value again: {@code env SIGIL_LLM__MODEL}, {@code config/default.yaml:7}. */
    String describe();

    /** Command line: {@code --set key=value} or a dedicated option such as {@code --debug}. */
    record CommandLine(String option) implements ValueSource {
        public String describe() { return "command line " + option; }
    }

    record Environment(String variable) implements ValueSource {
        public String describe() { return "env " + variable; }
    }

    /** A line of a dotenv file; {@code variable} is null for a problem with the file itself. */
    record DotEnv(Path file, int line, String variable) implements ValueSource {
        public String describe() { return file + ":" + line + (variable == null ? "" : " (" + variable + ")"); }
    }

    /** A line of a YAML configuration file. */
    record YamlFile(Path file, int line) implements ValueSource {
        public String describe() { return file + ":" + line; }
    }

    /** The built-in default of {@link Settings#defaults()}. */
    record Default() implements ValueSource {
        public String describe() { return "default"; }
    }
}
