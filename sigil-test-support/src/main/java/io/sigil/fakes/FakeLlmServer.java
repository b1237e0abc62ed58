package io.sigil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A local HTTP server speaking one LLM provider's wire protocol, for tests and benchmarks that must exercise the
 * real SDK over real HTTP. Replies are scripted per test with {@link #enqueue(FakeReply...)}; when the script is
 * empty the server echoes the last user message. Every request is recorded for assertions.
 *
 * <p>Subclasses render a {@link FakeReply} in their protocol: JSON body, SSE stream, error body.
 */
public abstract class FakeLlmServer implements AutoCloseable {
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Deque<FakeReply> script = new ArrayDeque<>();
    /** The last 10 000 requests (bounded for benchmarks). */
    private final Deque<RecordedRequest> requests = new ArrayDeque<>();
    private final AtomicInteger counter = new AtomicInteger();
    private final LongAdder requestCount = new LongAdder();
    private final LongAdder requestBytes = new LongAdder();
    private volatile Duration streamChunkDelay = Duration.ZERO;
    private volatile Function<RecordedRequest, FakeReply> responder;

    protected FakeLlmServer(int port, String path) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(path, this::handle);
        server.createContext("/_fake/stats", this::stats);
        server.createContext("/_fake/requests", this::lastBodies);
        server.createContext("/", exchange -> {
            byte[] body = errorBody(404, "not_found_error", "no such endpoint: " + exchange.getRequestURI().getPath());
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** The provider name ({@code anthropic}, {@code openai}). */
    public abstract String provider();

    /** The base URL to configure the SDK with. */
    public abstract String baseUrl();

    protected String origin() { return "http://127.0.0.1:" + port(); }

    public int port() { return server.getAddress().getPort(); }

    /** Appends replies to the script; each request consumes one. */
    public FakeLlmServer enqueue(FakeReply... replies) {
        synchronized (script) {
            script.addAll(List.of(replies));
        }
        return this;
    }

    /** Delay between SSE events, so a human watching a stream sees it arrive piece by piece. */
    public FakeLlmServer streamChunkDelay(Duration delay) {
        this.streamChunkDelay = delay;
        return this;
    }

    /**
     * Answers the requests the script leaves unanswered (instead of the echo), e.g. by what the request asks; it
     * runs on the server's threads, concurrently, so it must be thread-safe.
     */
    public FakeLlmServer respondWith(Function<RecordedRequest, FakeReply> responder) {
        this.responder = responder;
        return this;
    }

    /** Requests received at the provider path since the server started (reset does not clear it). */
    public long requestCount() { return requestCount.sum(); }

    /** The body bytes of those requests, as sent on the wire. */
    public long requestBytes() { return requestBytes.sum(); }

    /** Forgets the script and the recorded requests. */
    public void reset() {
        synchronized (script) {
            script.clear();
        }
        synchronized (requests) {
            requests.clear();
        }
    }

    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public RecordedRequest lastRequest() {
        List<RecordedRequest> all = requests();
        if (all.isEmpty()) throw new IllegalStateException("the fake " + provider() + " server received no request");
        return all.getLast();
    }

    @Override
    public void close() { server.stop(0); }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            requestCount.increment();
            requestBytes.add(raw.length);
            String body = new String(raw, StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(), headers, body);
            synchronized (requests) {
                if (requests.size() == 10_000) requests.pollFirst();
                requests.addLast(request);
            }
            FakeReply reply;
            synchronized (script) {
                reply = script.pollFirst();
            }
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                send(exchange, 400, "application/json", errorBody(400, "invalid_request_error", "body is not JSON"), false);
                return;
            }
            Function<RecordedRequest, FakeReply> answer = responder;
            if (reply == null && answer != null) reply = answer.apply(request);
            if (reply == null) reply = FakeReply.text(echo(json));
            respond(exchange, json, reply, false);
        }
    }

    /** {@code GET /_fake/stats}: the request count and bytes, as JSON. */
    private void stats(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = object().put("requests", requestCount()).put("request_bytes", requestBytes()).toString()
                    .getBytes(StandardCharsets.UTF_8);
            send(exchange, 200, "application/json", body, false);
        }
    }

    /** {@code GET /_fake/requests?last=N}: the bodies of the last N requests (oldest first), as a JSON array. */
    private void lastBodies(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getQuery();
            int last;
            try {
                last = query != null && query.startsWith("last=") ? Integer.parseInt(query.substring(5)) : 1;
            } catch (NumberFormatException e) {
                send(exchange, 400, "application/json", errorBody(400, "invalid_request_error", "last must be a number"), false);
                return;
            }
            List<RecordedRequest> all = requests();
            var bodies = JSON.createArrayNode();
            all.subList(Math.max(0, all.size() - last), all.size()).forEach(r -> bodies.add(r.body()));
            send(exchange, 200, "application/json", bodies.toString().getBytes(StandardCharsets.UTF_8), false);
        }
    }

    private void respond(HttpExchange exchange, JsonNode request, FakeReply reply, boolean truncate) throws IOException {
        String requestId = requestIdPrefix() + counter.incrementAndGet();
        exchange.getResponseHeaders().set(requestIdHeader(), requestId);
        switch (reply) {
            case FakeReply.Slow slow -> {
                sleep(slow.delay());
                respond(exchange, request, slow.reply(), truncate);
            }
            case FakeReply.Truncated t -> respond(exchange, request, t.reply(), true);
            case FakeReply.Malformed m -> send(exchange, 200, "application/json",
                    "{\"id\": \"broken\", \"content\": [".getBytes(StandardCharsets.UTF_8), false);
            case FakeReply.Failure f -> {
                if (f.retryAfter() != null) exchange.getResponseHeaders().set("retry-after", f.retryAfter());
                send(exchange, f.status(), "application/json", errorBody(f.status(), f.type(), f.message()), truncate);
            }
            default -> {
                if (request.path("stream").asBoolean(false)) {
                    List<String> events = streamEvents(request, reply, requestId);
                    sendStream(exchange, events, truncate);
                } else {
                    byte[] body = JSON.writeValueAsBytes(responseBody(request, reply, requestId));
                    send(exchange, 200, "application/json", body, truncate);
                }
            }
        }
    }

    private void send(HttpExchange exchange, int status, String contentType, byte[] body, boolean truncate)
            throws IOException {
        exchange.getResponseHeaders().set("content-type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        OutputStream out = exchange.getResponseBody();
        // A truncated reply promises body.length bytes and sends half: the client sees the connection end early.
        out.write(body, 0, truncate ? body.length / 2 : body.length);
        out.flush();
    }

    private void sendStream(HttpExchange exchange, List<String> events, boolean truncate) throws IOException {
        exchange.getResponseHeaders().set("content-type", "text/event-stream");
        exchange.getResponseHeaders().set("cache-control", "no-cache");
        if (truncate) {
            byte[] all = String.join("", events).getBytes(StandardCharsets.UTF_8);
            send(exchange, 200, "text/event-stream", all, true);
            return;
        }
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (String event : events) {
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (!streamChunkDelay.isZero()) sleep(streamChunkDelay);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The echo answer used when nothing is scripted. */
    protected String echo(JsonNode request) {
        String last = "";
        for (JsonNode m : request.path("messages")) {
            if ("user".equals(m.path("role").asText())) last = textOf(m.path("content"));
        }
        return "Hello from the fake " + provider() + " server. You said: " + last;
    }

    /** The text of a message content that is either a string or a list of blocks. */
    protected static String textOf(JsonNode content) {
        if (content.isTextual()) return content.asText();
        StringBuilder sb = new StringBuilder();
        for (JsonNode block : content) {
            if (block.has("text")) sb.append(block.path("text").asText());
            else if (block.has("content")) sb.append(textOf(block.path("content")));
        }
        return sb.toString();
    }

    /** Estimated tokens, 4 characters a token: the fakes report usage the way a provider would. */
    protected static long estimate(String text) {
        return text.isEmpty() ? 0 : Math.max(1, (text.length() + 3) / 4);
    }

    protected static long estimateInput(JsonNode request) {
        return Math.max(1, estimate(request.toString()) / 2);
    }

    protected static ObjectNode object() { return JSON.createObjectNode(); }

    protected static String sse(String event, JsonNode data) {
        return (event == null ? "" : "event: " + event + "\n") + "data: " + data + "\n\n";
    }

    protected abstract String requestIdHeader();

    protected abstract String requestIdPrefix();

    protected abstract byte[] errorBody(int status, String type, String message);

    protected abstract JsonNode responseBody(JsonNode request, FakeReply reply, String requestId);

    protected abstract List<String> streamEvents(JsonNode request, FakeReply reply, String requestId);
}
