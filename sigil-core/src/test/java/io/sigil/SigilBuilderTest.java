package io.sigil;

import io.sigil.config.Settings;
import io.sigil.contracts.Contract;
import io.sigil.contracts.ContractResult;
import io.sigil.llm.test.TestModel;
import io.sigil.orchestrator.RunListener;
import io.sigil.orchestrator.RunRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigilBuilderTest {
    record Greeting(String text, int words) { }

    @TempDir Path dir;

    private Settings settingsIn(Path root) {
        Settings d = Settings.defaults();
        return new Settings(d.environment(), false, d.features(), d.llm(),
                new Settings.Memory(root.resolve("memory"), "all-minilm-l6-v2-q", null, 5, 0.7, 100, 100),
                new Settings.Contracts(d.contracts().defaultMaxRetries(), d.contracts().defaultStrategy(),
                        d.contracts().maxTotalTokens(), root.resolve("contracts")),
                new Settings.State(root.resolve("state"), 10_000, "file"), d.api(), d.security(), d.logging(),
                d.telemetry(), d.routing(), new Settings.Agents(root.resolve("agents")), d.tools(), d.services());
    }

    @Test
    void executesAContractWithNothingButAModelAndOpensNoStore() {
        try (Sigil sigil = Sigil.builder().settings(settingsIn(dir))
                .model(TestModel.queueText("{\"text\": \"Hello there\", \"words\": 2}")).build()) {
            ContractResult result = sigil.execute(Contract.fromRecord(Greeting.class), "Greet");

            assertThat(result.as(Greeting.class)).isEqualTo(new Greeting("Hello there", 2));
            assertThat(sigil.memoryStatus()).containsEntry("open", false);
        }
        assertThat(Files.exists(dir.resolve("state"))).as("no event store opened for a contract call").isFalse();
    }

    @Test
    void opensThePipelineOnFirstUseAndClosesIt() {
        Sigil sigil = Sigil.builder().settings(settingsIn(dir)).model("test").build();

        var response = sigil.orchestrator().handle(RunRequest.of("Hello"), RunListener.NONE);

        assertThat(response.sessionId()).isNotBlank();
        assertThat(Files.isDirectory(dir.resolve("state"))).isTrue();
        sigil.close();
        sigil.close(); // idempotent
        assertThatThrownBy(sigil::sessions).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void takesProviderKeysFromTheEnvironmentLikeTheSdksDo() {
        var env = java.util.Map.of("OPENAI_API_KEY", "sk-env", "ANTHROPIC_BASE_URL", "http://127.0.0.1:9");
        Settings.Llm llm = new Sigil.Builder(env::get).build().settings().llm();

        assertThat(llm.openaiApiKey()).isEqualTo("sk-env");
        assertThat(llm.anthropicApiKey()).isNull();
        assertThat(llm.anthropicBaseUrl()).isEqualTo("http://127.0.0.1:9");
    }

    @Test
    void aModelStringSelectsTheDefaultModel() {
        try (Sigil sigil = Sigil.builder().settings(settingsIn(dir)).model("test").build()) {
            assertThat(sigil.settings().llm().model()).isEqualTo("test");
            assertThat(sigil.defaultModel().provider()).isEqualTo("test");
        }
    }
}
