package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.sigil.config.Settings;
import io.sigil.fakes.FakeReply;
import io.sigil.fakes.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One run's trace, exported over real OTLP/HTTP (protobuf) to a receiver in this test that decodes
 * {@code ExportTraceServiceRequest}: the request's W3C traceparent continued, the span tree (server request,
 * invoke_agent, Sigil's stages, chat, execute_tool), GenAI attributes, token counts equal to the run's usage, and
 * the chat span's traceparent sent on to the provider.
 */
class TracingIT {
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN = "00f067aa0ba902b7";

    @TempDir
    Path dir;
    HttpServer collector;
    final List<Span> spans = new CopyOnWriteArrayList<>();
    final List<String> contentTypes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startCollector() throws Exception {
        collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        collector.createContext("/v1/traces", exchange -> {
            try (exchange) {
                contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes());
                request.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> spans.addAll(ss.getSpansList())));
                byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
                exchange.getResponseBody().write(ok);
            }
        });
        collector.start();
    }

    @AfterEach
    void stopCollector() {
        collector.stop(0);
    }

    @Test
    void aRunIsTracedWithGenAiSpansUnderTheCallersTrace() throws Exception {
        String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
        JsonNode run;
        RecordedRequest toProvider;
        try (FakeProviderServer sigil = new FakeProviderServer(dir, s -> withTelemetry(s, endpoint))) {
            // A ReAct agent: one tool call, then the answer; usage 100+10 and 120+30 tokens.
            sigil.server.post("/agents", sigil.server.token(io.sigil.auth.Scope.AGENTS_WRITE), """
                    {"name": "timekeeper", "description": "Tells the time", "system_prompt": "Use your tools.",
                     "model": "anthropic:%s", "tools": ["current_time"], "strategy": "react"}
                    """.formatted(FakeProviderServer.MODEL));
            sigil.anthropic.enqueue(new FakeReply.ToolUse("call-1", "current_time", "{}"),
                    FakeReply.text("It is noon in Berlin.", 120, 30));
            HttpResponse<String> r = sigil.runAgent("timekeeper", "{\"message\": \"What time is it in Berlin?\"}",
                    "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            run = TestServer.json(r);
            toProvider = sigil.anthropic.lastRequest();
        } // stopping the server flushes the batched spans

        // The run's trace (creating the agent above was a trace of its own).
        spans.removeIf(s -> !hex(s.getTraceId().toByteArray()).equals(TRACE_ID));
        Map<String, Span> byName = spans.stream().collect(Collectors.toMap(Span::getName, Function.identity(), (a, b) -> a));
        assertThat(byName).containsKeys("POST /agents/{name}/run", "invoke_agent timekeeper", "route", "recall", "reason",
                "chat " + FakeProviderServer.MODEL, "execute_tool current_time");
        assertThat(contentTypes).allMatch(t -> t.startsWith("application/x-protobuf"));

        Span server = byName.get("POST /agents/{name}/run");
        assertThat(hex(server.getParentSpanId().toByteArray())).as("continues the caller's traceparent").isEqualTo(CALLER_SPAN);
        assertThat(server.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);

        Span agent = byName.get("invoke_agent timekeeper");
        assertThat(agent.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(attr(agent, "gen_ai.operation.name")).hasValue("invoke_agent");
        assertThat(attr(agent, "gen_ai.agent.name")).hasValue("timekeeper");
        assertThat(attr(agent, "gen_ai.conversation.id")).hasValue(run.path("session_id").asText());

        for (String stage : List.of("route", "recall", "reason")) {
            assertThat(byName.get(stage).getParentSpanId()).as(stage).isEqualTo(agent.getSpanId());
            assertThat(attr(byName.get(stage), "sigil.stage")).hasValue(stage);
        }

        List<Span> chats = spans.stream().filter(s -> s.getName().startsWith("chat ")).toList();
        assertThat(chats).hasSize(2);
        long input = 0;
        long output = 0;
        for (Span chat : chats) {
            assertThat(isUnder(chat, byName.get("reason"))).as("chat under the reason stage").isTrue();
            assertThat(chat.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
            assertThat(attr(chat, "gen_ai.operation.name")).hasValue("chat");
            assertThat(attr(chat, "gen_ai.provider.name")).hasValue("anthropic");
            assertThat(attr(chat, "gen_ai.request.model")).hasValue(FakeProviderServer.MODEL);
            input += Long.parseLong(attr(chat, "gen_ai.usage.input_tokens").orElseThrow());
            output += Long.parseLong(attr(chat, "gen_ai.usage.output_tokens").orElseThrow());
        }
        assertThat(input + output).as("the chat spans' tokens are the run's usage").isEqualTo(run.path("tokens_used").asLong());
        assertThat(attr(agent, "gen_ai.usage.input_tokens")).hasValue(Long.toString(input));
        assertThat(attr(agent, "gen_ai.usage.output_tokens")).hasValue(Long.toString(output));

        Span tool = byName.get("execute_tool current_time");
        assertThat(attr(tool, "gen_ai.operation.name")).hasValue("execute_tool");
        assertThat(attr(tool, "gen_ai.tool.name")).hasValue("current_time");
        assertThat(attr(tool, "gen_ai.tool.call.id")).hasValue("call-1");
        assertThat(isUnder(tool, agent)).isTrue();

        // The last model call carried its chat span's context to the provider.
        Span lastChat = chats.stream().max(java.util.Comparator.comparingLong(Span::getStartTimeUnixNano)).orElseThrow();
        assertThat(toProvider.header("traceparent"))
                .isEqualTo("00-" + TRACE_ID + "-" + hex(lastChat.getSpanId().toByteArray()) + "-01");
    }

    private boolean isUnder(Span span, Span ancestor) {
        Map<String, Span> byId = spans.stream().collect(Collectors.toMap(s -> hex(s.getSpanId().toByteArray()), Function.identity()));
        Span s = span;
        while (s != null && !s.getParentSpanId().isEmpty()) {
            if (s.getParentSpanId().equals(ancestor.getSpanId())) return true;
            s = byId.get(hex(s.getParentSpanId().toByteArray()));
        }
        return false;
    }

    private static Optional<String> attr(Span span, String key) {
        return span.getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).map(KeyValue::getValue)
                .map(v -> v.hasIntValue() ? Long.toString(v.getIntValue()) : v.getStringValue()).findFirst();
    }

    private static String hex(byte[] bytes) { return HexFormat.of().formatHex(bytes); }

    private static Settings withTelemetry(Settings s, String endpoint) {
        return new Settings(s.environment(), s.debug(), s.features(), s.llm(), s.memory(), s.contracts(), s.state(),
                s.api(), s.security(), s.logging(), new Settings.Telemetry(true, endpoint, Settings.Telemetry.HTTP_PROTOBUF, 1.0),
                s.routing(), s.agents(), s.tools(), s.services());
    }
}
