package io.sigil.cli;

import io.sigil.agents.AgentDefinition;
import io.sigil.errors.InvalidInputError;
import io.sigil.Sigil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --agent NAME|FILE}: a name is looked up; a definition file is validated and saved under its name. */
final class AgentFiles {
    private AgentFiles() { }

    static String register(Sigil runtime, String nameOrFile) {
        if (nameOrFile == null) return null;
        if (!nameOrFile.endsWith(".yaml") && !nameOrFile.endsWith(".yml") && !nameOrFile.endsWith(".json")) {
            return nameOrFile;
        }
        Path file = Path.of(nameOrFile);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputError("Agent file " + file + " does not exist", "Give an agent name or a path to its YAML file.");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputError("Cannot read agent file " + file + ": " + e.getMessage(), null);
        }
        AgentDefinition agent = runtime.definitions().parse(text, file.toString());
        runtime.agents().save(agent);
        return agent.name();
    }
}
