package io.sigil.server;

import io.sigil.auth.Scope;
import io.sigil.config.Settings;
import io.sigil.fakes.FakeAnthropicServer;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The whole API, as {@code sigil serve} runs it, with the Anthropic provider pointed at a local fake: runs make
 * real provider calls over HTTP (LLM metrics, circuit breakers, traces) and never leave the machine.
 */
final class FakeProviderServer implements AutoCloseable {
    static final String MODEL = "claude-sonnet-4-20250514";
    static final String AGENT = """
            {"name": "observed_bot", "description": "Answers questions for the observability tests",
             "system_prompt": "You are a helpful agent.", "model": "anthropic:%s", "tools": ["current_time"]}
            """.formatted(MODEL);

    final FakeAnthropicServer anthropic = new FakeAnthropicServer();
    final TestServer server;

    FakeProviderServer(Path dir, UnaryOperator<Settings> adjust) {
        Settings s = TestServer.settings(dir, TestServer.Options.defaults().testModel());
        Settings.Llm l = s.llm();
        Settings.Llm llm = new Settings.Llm("anthropic", MODEL, l.temperature(), l.maxTokens(), l.timeout(), 0,
                anthropic.baseUrl(), "sk-ant-fake", null, null, null);
        // Contracts on, as in production (k8s/configmap.yaml): contract-checked runs count their validations.
        Settings.Features features = new Settings.Features(false, false, true, false, true);
        Settings withFake = new Settings(s.environment(), s.debug(), features, llm, s.memory(), s.contracts(),
                s.state(), s.api(), s.security(), s.logging(), s.telemetry(), s.routing(), s.agents(), s.tools(),
                s.services());
        server = new TestServer(adjust.apply(withFake), TestServer.Options.defaults().testModel(), null);
        HttpResponse<String> created = server.post("/agents", server.token(Scope.AGENTS_WRITE), AGENT);
        if (created.statusCode() != 201) throw new IllegalStateException("agent not created: " + created.body());
    }

    /** A JSON run; the first one loads the provider SDK, which takes a while on a busy machine. */
    HttpResponse<String> run(String message, String... headers) {
        return runAgent("observed_bot", "{\"message\": \"" + message + "\"}", headers);
    }

    HttpResponse<String> runAgent(String agent, String body, String... headers) {
        java.net.http.HttpRequest.Builder b = server.request("/agents/" + agent + "/run").timeout(java.time.Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + server.token(Scope.RUNS_EXECUTE, Scope.SESSIONS_READ))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return server.send(b.build());
    }

    @Override
    public void close() {
        server.close();
        anthropic.close();
    }
}
