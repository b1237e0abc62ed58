package io.sigil.llm;

import io.sigil.config.Settings;
import io.sigil.errors.ConfigError;
import io.sigil.llm.test.TestModel;
import io.sigil.memory.MemoryStoreFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The core alone: no provider SDK and no memory index on the classpath, and the errors say which module to add. */
class ProviderModulesTest {
    @Test
    void servesOnlyTheTestModelWithoutProviderModules() {
        ModelResolver resolver = new ModelResolver(Settings.Llm.DEFAULTS);

        assertThat(resolver.providers()).containsExactly("test");
        assertThat(resolver.resolve("test")).isInstanceOf(TestModel.class);
    }

    @Test
    void namesTheModuleThatServesAMissingProvider() {
        ConfigError anthropic = catchThrowableOfType(ConfigError.class,
                () -> new ModelResolver(Settings.Llm.DEFAULTS).resolve("anthropic:claude-x"));
        ConfigError ollama = catchThrowableOfType(ConfigError.class,
                () -> new ModelResolver(Settings.Llm.DEFAULTS).resolve("ollama:llama3"));

        assertThat(anthropic.getMessage()).contains("'anthropic'").contains("not on the classpath");
        assertThat(anthropic.hint()).contains("io.sigil:sigil-anthropic").contains("--model test");
        assertThat(ollama.hint()).contains("io.sigil:sigil-openai");
    }

    @Test
    void usesTheProvidersItIsGiven() {
        ChatModelProvider fixed = new ChatModelProvider() {
            @Override public String name() { return "Fixed"; }
            @Override public ChatModel create(String model, Settings.Llm settings) { return TestModel.offlineUnrecorded(); }
        };
        ModelResolver resolver = new ModelResolver(Settings.Llm.DEFAULTS, new ProviderBreakers(), java.util.List.of(fixed));

        assertThat(resolver.providers()).containsExactly("fixed", "test");
        assertThat(resolver.resolve("fixed:any")).isInstanceOf(ResilientChatModel.class);
    }

    @Test
    void namesTheMemoryModuleWhenNoStoreIsInstalled() {
        ConfigError e = catchThrowableOfType(ConfigError.class, MemoryStoreFactory::installed);

        assertThat(e.hint()).contains("io.sigil:sigil-memory").contains("SIGIL_USE_MEMORY=false");
    }
}
