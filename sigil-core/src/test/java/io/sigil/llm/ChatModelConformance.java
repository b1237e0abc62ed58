package io.sigil.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.sigil.fakes.FakeLlmServer;
import io.sigil.fakes.FakeReply;
import io.sigil.fakes.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The behaviour every provider adapter must show, run over real HTTP against a fake server speaking the provider's
 * wire protocol, through Sigil's resilience layer: text, streaming order, a tool call round trip, structured
 * output, usage, error mapping, retries, timeout, circuit breaker open and half-open, cancellation, truncated and
 * malformed responses. A provider's test extends this class and says how to build the adapter and what its wire
 * format looks like.
 */
public abstract class ChatModelConformance {
    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static final String API_KEY = "sk-test-conformance-0123456789";

    protected FakeLlmServer server;
    protected MutableClock clock;
    protected ProviderBreakers breakers;
    protected final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    /** A fresh fake server for the provider. */
    protected abstract FakeLlmServer newServer();

    /** The bare provider adapter pointed at {@code baseUrl} with {@code apiKey}, default model {@code model}. */
    protected abstract ChatModel provider(String baseUrl, String apiKey, String model);

    /** The API key the provider sent, read from its auth header. */
    protected abstract String sentApiKey(RecordedRequest request);

    /** The tool result a request body carries for {@code toolCallId}, or null. */
    protected abstract String sentToolResult(JsonNode body, String toolCallId);

    /** Whether the request body asks for structured output against a schema named {@code name}. */
    protected abstract boolean asksForSchema(JsonNode body, String name);

    @BeforeEach
    void startServer() {
        server = newServer();
        clock = new MutableClock();
        breakers = new ProviderBreakers(5, Duration.ofSeconds(30), clock);
    }

    @AfterEach
    void stopServer() { server.close(); }

    protected ChatModel model(RetryPolicy policy) {
        ChatModel provider = provider(server.baseUrl(), API_KEY, "model-under-test");
        return new ResilientChatModel(provider, policy, breakers.forProvider(provider.provider()), sleeps::add,
                new Random(7));
    }

    protected ChatModel model() { return model(RetryPolicy.of(3, Duration.ofSeconds(10))); }

    @Test
    void answersText() {
        server.enqueue(FakeReply.text("Hello there, Ada.", 12, 5));
        ChatResponse response = model().chat(ChatRequest.builder().system("Be brief.").user("Hi, I am Ada").build());

        assertThat(response.text()).isEqualTo("Hello there, Ada.");
        assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(response.usage().inputTokens()).isEqualTo(12);
        assertThat(response.usage().outputTokens()).isEqualTo(5);
        assertThat(response.model()).isEqualTo("model-under-test");
        assertThat(response.requestId()).isNotBlank();
        RecordedRequest sent = server.lastRequest();
        assertThat(sentApiKey(sent)).isEqualTo(API_KEY);
        assertThat(sent.json().path("model").asText()).isEqualTo("model-under-test");
        assertThat(sent.body()).contains("Be brief.").contains("Hi, I am Ada");
    }

    @Test
    void streamsDeltasInOrderThenCompletes() {
        server.enqueue(FakeReply.text("one two three four five", 20, 7));
        List<String> events = new ArrayList<>();
        ChatResponse response = model().stream(ChatRequest.of("count"), new StreamListener() {
            @Override
            public void onText(String delta) { events.add("text:" + delta); }

            @Override
            public void onComplete(ChatResponse r) { events.add("complete:" + r.text()); }
        });

        assertThat(events).hasSizeGreaterThan(2);
        assertThat(events.getLast()).isEqualTo("complete:one two three four five");
        assertThat(String.join("", events.subList(0, events.size() - 1).stream().map(e -> e.substring(5)).toList()))
                .isEqualTo("one two three four five");
        assertThat(response.text()).isEqualTo("one two three four five");
        assertThat(response.usage().outputTokens()).isEqualTo(7);
        assertThat(response.usage().inputTokens()).isEqualTo(20);
        assertThat(server.lastRequest().json().path("stream").asBoolean()).isTrue();
    }

    @Test
    void roundTripsAToolCall() throws Exception {
        ToolSpec weather = new ToolSpec("get_weather", "Current weather for a city", JSON.readTree(
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"));
        server.enqueue(FakeReply.toolUse("call_42", "get_weather", "{\"city\":\"Paris\"}"), FakeReply.text("Sunny in Paris."));
        ChatModel model = model();
        ChatRequest first = ChatRequest.builder().user("Weather in Paris?").tool(weather).build();

        ChatResponse call = model.chat(first);

        assertThat(call.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(call.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo("call_42");
            assertThat(c.name()).isEqualTo("get_weather");
            assertThat(c.arguments().path("city").asText()).isEqualTo("Paris");
        });
        assertThat(server.lastRequest().body()).contains("get_weather").contains("Current weather for a city");

        ChatResponse answer = model.chat(first.toBuilder()
                .message(new Message.Assistant("", call.toolCalls()))
                .message(Message.toolResult("call_42", "get_weather", "18C, sunny", false))
                .build());

        assertThat(answer.text()).isEqualTo("Sunny in Paris.");
        assertThat(sentToolResult(server.lastRequest().json(), "call_42")).contains("18C, sunny");
    }

    @Test
    void streamsAToolCall() throws Exception {
        ToolSpec search = new ToolSpec("search", "Search the web", JSON.readTree(
                "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"}}}"));
        server.enqueue(FakeReply.toolUse("call_7", "search", "{\"query\": \"java 21 virtual threads\"}"));
        List<ToolCall> seen = new ArrayList<>();
        ChatResponse response = model().stream(ChatRequest.builder().user("search it").tool(search).build(),
                new StreamListener() {
                    @Override
                    public void onText(String delta) { }

                    @Override
                    public void onToolCall(ToolCall toolCall) { seen.add(toolCall); }
                });

        assertThat(seen).singleElement().satisfies(c ->
                assertThat(c.arguments().path("query").asText()).isEqualTo("java 21 virtual threads"));
        assertThat(response.toolCalls()).isEqualTo(seen);
        assertThat(response.stopReason()).isEqualTo(StopReason.TOOL_USE);
    }

    @Test
    void returnsStructuredOutput() throws Exception {
        OutputSchema person = new OutputSchema("person", JSON.readTree("""
                {"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},
                 "required":["name","age"]}"""));
        server.enqueue(FakeReply.json("{\"name\":\"Ada\",\"age\":36}"));

        ChatResponse response = model().chat(ChatRequest.builder().user("Who wrote the first program?")
                .outputSchema(person).build());

        JsonNode value = JSON.readTree(response.text());
        assertThat(value.path("name").asText()).isEqualTo("Ada");
        assertThat(value.path("age").asInt()).isEqualTo(36);
        assertThat(response.toolCalls()).isEmpty();
        assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(asksForSchema(server.lastRequest().json(), "person")).isTrue();
    }

    @Test
    void mapsAClientErrorWithoutRetrying() {
        server.enqueue(FakeReply.badRequest("model: no such model"));

        LlmError e = catchThrowableOfType(LlmError.class, () -> model().chat(ChatRequest.of("hi")));

        assertThat(e.kind()).isEqualTo(LlmError.Kind.BAD_REQUEST);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.recoverable()).isFalse();
        assertThat(e.requestId()).isNotBlank();
        assertThat(e.getMessage()).contains("no such model").contains(e.requestId());
        assertThat(e.context()).containsEntry("status", 400).containsKey("provider").containsKey("request_id");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void mapsAuthenticationFailureWithoutLeakingTheKey() {
        server.enqueue(FakeReply.unauthorized());

        LlmError e = catchThrowableOfType(LlmError.class, () -> model().chat(ChatRequest.of("hi")));

        assertThat(e.kind()).isEqualTo(LlmError.Kind.AUTHENTICATION);
        assertThat(e.hint()).contains("API_KEY");
        assertThat(e.display() + e.hint() + e.context()).doesNotContain(API_KEY);
    }

    @Test
    void retriesTransientFailuresHonouringRetryAfter() {
        server.enqueue(FakeReply.rateLimited(2), FakeReply.overloaded(), FakeReply.serverError(), FakeReply.text("ok"));

        ChatResponse response = model().chat(ChatRequest.of("hi"));

        assertThat(response.text()).isEqualTo("ok");
        assertThat(server.requests()).hasSize(4);
        assertThat(sleeps).hasSize(3);
        assertThat(sleeps.getFirst()).isEqualTo(Duration.ofSeconds(2));
        // Exponential backoff with jitter: retry n waits between half and all of 500 ms * 2^(n-1).
        assertThat(sleeps.get(1)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
        assertThat(sleeps.get(2)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(2000));
    }

    @Test
    void givesUpAfterMaxRetries() {
        server.enqueue(FakeReply.serverError(), FakeReply.serverError(), FakeReply.serverError(), FakeReply.serverError());

        LlmError e = catchThrowableOfType(LlmError.class, () -> model().chat(ChatRequest.of("hi")));

        assertThat(e.kind()).isEqualTo(LlmError.Kind.SERVER_ERROR);
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.recoverable()).isTrue();
        assertThat(server.requests()).hasSize(4);
    }

    @Test
    void retriesATruncatedResponse() {
        server.enqueue(FakeReply.truncated(FakeReply.text("cut off in the middle of a sentence")), FakeReply.text("whole"));

        // The JDK server behind the fake keeps an OkHttp client's connection open after the short body, so the SDKs
        // see the truncation at their own read timeout (about 10 s): the attempt's timeout must outlast it, or the
        // test races the two clocks (it did, under load).
        assertThat(model(RetryPolicy.of(3, Duration.ofSeconds(40))).chat(ChatRequest.of("hi")).text()).isEqualTo("whole");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void reportsATruncatedStream() {
        server.enqueue(FakeReply.truncated(FakeReply.text("a long streamed answer that the connection cuts in two")));

        LlmError e = catchThrowableOfType(LlmError.class,
                () -> model(RetryPolicy.of(0, Duration.ofSeconds(10))).stream(ChatRequest.of("hi"), StreamListener.NONE));

        assertThat(e.kind()).isEqualTo(LlmError.Kind.CONNECTION);
        assertThat(e.recoverable()).isTrue();
    }

    @Test
    void reportsAMalformedResponse() {
        server.enqueue(FakeReply.malformed());

        LlmError e = catchThrowableOfType(LlmError.class, () -> model().chat(ChatRequest.of("hi")));

        assertThat(e.kind()).isEqualTo(LlmError.Kind.MALFORMED_RESPONSE);
        assertThat(e.recoverable()).isFalse();
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void timesOutASlowCall() {
        server.enqueue(FakeReply.slow(Duration.ofSeconds(3), FakeReply.text("too late")));

        LlmError e = catchThrowableOfType(LlmError.class,
                () -> model(RetryPolicy.of(3, Duration.ofMillis(300))).chat(ChatRequest.of("hi")));

        assertThat(e.kind()).isEqualTo(LlmError.Kind.TIMEOUT);
        assertThat(e.recoverable()).isTrue();
        // A timeout is not retried. (A client that enforces the deadline itself may give up before the request has
        // even reached the server on a loaded machine, hence at most one.)
        try {
            Thread.sleep(500);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        assertThat(server.requests().size()).isLessThanOrEqualTo(1);
    }

    @Test
    void opensTheBreakerAfterFiveFailuresAndClosesAfterASuccessfulTrial() {
        ChatModel model = model(RetryPolicy.of(0, Duration.ofSeconds(10)));
        for (int i = 0; i < 5; i++) server.enqueue(FakeReply.serverError());
        for (int i = 0; i < 5; i++) catchThrowableOfType(LlmError.class, () -> model.chat(ChatRequest.of("hi")));
        CircuitBreaker breaker = breakers.forProvider(model.provider());
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        LlmError refused = catchThrowableOfType(LlmError.class, () -> model.chat(ChatRequest.of("hi")));
        assertThat(refused.kind()).isEqualTo(LlmError.Kind.CIRCUIT_OPEN);
        assertThat(server.requests()).hasSize(5);

        clock.advance(Duration.ofSeconds(31));
        server.enqueue(FakeReply.text("back"));
        assertThat(model.chat(ChatRequest.of("hi")).text()).isEqualTo("back");
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void reopensTheBreakerWhenTheHalfOpenTrialFails() {
        ChatModel model = model(RetryPolicy.of(0, Duration.ofSeconds(10)));
        for (int i = 0; i < 6; i++) server.enqueue(FakeReply.overloaded());
        for (int i = 0; i < 5; i++) catchThrowableOfType(LlmError.class, () -> model.chat(ChatRequest.of("hi")));
        CircuitBreaker breaker = breakers.forProvider(model.provider());

        clock.advance(Duration.ofSeconds(29));
        assertThat(catchThrowableOfType(LlmError.class, () -> model.chat(ChatRequest.of("hi"))).kind())
                .isEqualTo(LlmError.Kind.CIRCUIT_OPEN);
        clock.advance(Duration.ofSeconds(2));
        assertThat(catchThrowableOfType(LlmError.class, () -> model.chat(ChatRequest.of("hi"))).kind())
                .isEqualTo(LlmError.Kind.OVERLOADED);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(server.requests()).hasSize(6);
    }

    @Test
    void doesNotCountClientErrorsAgainstTheBreaker() {
        ChatModel model = model(RetryPolicy.of(0, Duration.ofSeconds(10)));
        for (int i = 0; i < 6; i++) server.enqueue(FakeReply.badRequest("bad schema"));
        for (int i = 0; i < 6; i++) catchThrowableOfType(LlmError.class, () -> model.chat(ChatRequest.of("hi")));

        assertThat(breakers.forProvider(model.provider()).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void cancelsOnInterrupt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(provider(server.baseUrl(), API_KEY, "m").boundsItsOwnCalls(),
                "this provider bounds its own calls on the caller's thread: a platform thread's blocking socket read "
                        + "is not interruptible, so there the call ends at its deadline; cancellation by interrupt is "
                        + "covered on a virtual thread (cancelsOnInterruptOnAVirtualThread)");
        assertCancelledByInterrupt(Thread.ofPlatform());
    }

    /** Sigil runs requests on virtual threads; there a model that bounds its own calls is called without a hand-off. */
    @Test
    void cancelsOnInterruptOnAVirtualThread() throws Exception {
        assertCancelledByInterrupt(Thread.ofVirtual());
    }

    private void assertCancelledByInterrupt(Thread.Builder threads) throws Exception {
        server.enqueue(FakeReply.slow(Duration.ofSeconds(5), FakeReply.text("never seen")));
        ChatModel model = model();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread caller = threads.start(() -> {
            try {
                model.chat(ChatRequest.of("hi"));
            } catch (Throwable t) {
                failure.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        while (server.requests().isEmpty()) Thread.sleep(5);

        caller.interrupt();
        caller.join(Duration.ofSeconds(4));

        assertThat(caller.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOfSatisfying(LlmError.class,
                e -> assertThat(e.kind()).isEqualTo(LlmError.Kind.CANCELLED));
        assertThat(stillInterrupted.get()).isTrue();
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aCallersDeadlineEndsTheCallOnAVirtualThread() throws Exception {
        server.enqueue(FakeReply.slow(Duration.ofSeconds(5), FakeReply.text("never seen")));
        ChatModel model = model();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                model.chat(ChatRequest.of("hi"), Duration.ofMillis(300));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        caller.join(Duration.ofSeconds(4));

        assertThat(caller.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOfSatisfying(LlmError.class, e -> {
            assertThat(e.kind()).isEqualTo(LlmError.Kind.TIMEOUT);
            assertThat(e.getMessage()).contains("timed out after 300 ms");
        });
        assertThat(server.requests()).hasSize(1);
    }
}
