package io.sigil.cli;

import io.sigil.fakes.FakeAnthropicServer;
import io.sigil.fakes.FakeOpenAiServer;
import io.sigil.fakes.FakeReply;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class LlmCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = SigilCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void chatsWithTheOfflineTestModel() {
        int exit = run("llm", "chat", "--model", "test", "hello");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("offline test model").contains("hello");
        assertThat(err.toString()).contains("usage:").contains("input").contains("| test |");
    }

    @Test
    void streamsFromAnAnthropicServerAfterA429() {
        try (FakeAnthropicServer server = new FakeAnthropicServer()) {
            server.enqueue(FakeReply.rateLimited(0));

            int exit = run("llm", "chat", "--model", "anthropic:claude-fake", "--base-url", server.baseUrl(), "--stream",
                    "--system", "Be kind.", "hi", "there");

            assertThat(exit).as(err.toString()).isZero();
            assertThat(out.toString()).contains("Hello from the fake anthropic server. You said: hi there");
            assertThat(err.toString()).contains("usage:").contains("anthropic:claude-fake").contains("request req_fake_2");
            assertThat(server.requests()).hasSize(2);
            assertThat(server.lastRequest().body()).contains("Be kind.");
        }
    }

    @Test
    void pingsAnOpenAiCompatibleServer() {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            int exit = run("llm", "ping", "--model", "ollama:llama3.1", "--base-url", server.baseUrl());

            assertThat(exit).as(err.toString()).isZero();
            assertThat(out.toString()).startsWith("ok: ollama:llama3.1 answered in");
        }
    }

    @Test
    void explainsAMissingKeyWithExitCode2() {
        int exit = run("llm", "ping", "--model", "anthropic:claude-sonnet-4-20250514");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("[CONFIG_ERROR] No API key for anthropic: set ANTHROPIC_API_KEY")
                .contains("--model test").contains("ollama:");
    }

    @Test
    void listsKnownProvidersForAnUnknownOne() {
        int exit = run("llm", "chat", "--model", "gemini:pro", "hi");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("Known providers: anthropic, openai, ollama, test");
    }

    @Test
    void reportsAProviderFailureWithoutAStackTrace() {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.enqueue(FakeReply.badRequest("The model 'nope' does not exist"));

            int exit = run("llm", "chat", "--model", "openai:nope", "--base-url", server.baseUrl(), "hi");

            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).contains("[LLM_ERROR] openai returned HTTP 400: The model 'nope' does not exist")
                    .doesNotContain("\tat ");
        }
    }
}
