package io.sigil.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A server-sent event response read on a thread of its own while the test goes on: each event's data (a stream
 * message) as JSON, awaited by what it says. For live tests that follow a run through one replica while acting
 * on it through another.
 */
public final class SseStream {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private volatile int status;

    private SseStream() { }

    /** Sends {@code request} and returns once the response's headers arrived (60 s at most). */
    public static SseStream open(HttpClient http, HttpRequest request) throws InterruptedException {
        SseStream sse = new SseStream();
        CountDownLatch headers = new CountDownLatch(1);
        http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> {
            sse.status = r.statusCode();
            headers.countDown();
            r.body().forEach(line -> {
                if (line.startsWith("data: ")) {
                    try {
                        sse.events.add(JSON.readTree(line.substring(6)));
                    } catch (IOException e) {
                        throw new UncheckedIOException("an SSE data line is not JSON: " + line, e);
                    }
                }
            });
        });
        if (!headers.await(60, TimeUnit.SECONDS)) throw new AssertionError("no SSE response headers within 60 s");
        return sse;
    }

    public int status() { return status; }

    /** The first event {@code wanted} accepts, waiting for it {@code within} at most. */
    public JsonNode await(Predicate<JsonNode> wanted, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode e : events) if (wanted.test(e)) return e;
            Thread.sleep(20);
        }
        throw new AssertionError("no matching event within " + within + "; got " + events);
    }
}
