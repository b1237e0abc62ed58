package io.sigil.cli;

import io.sigil.config.Settings;
import io.sigil.errors.ConfigError;
import io.sigil.llm.ChatModel;
import io.sigil.llm.test.TestModel;

import java.util.Map;

/** Resolves the {@code --model} option of CLI commands to a model; null means the configured model. */
final class CliModels {
    private CliModels() { }

    static ChatModel resolve(String model, Settings settings) {
        String name = model == null || model.isBlank() ? settings.llm().model() : model.strip();
        if (name.equals(TestModel.NAME) || name.startsWith(TestModel.NAME + ":")) return TestModel.offline();
        throw new ConfigError("model '" + name + "' cannot be used: this build has no provider adapters wired in yet",
                "run offline with --model test", Map.of("model", name), false, null);
    }
}
