package io.sigil.testing;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Clients running JSON runs back to back (each sends its next when the last answered) while a live test breaks
 * something; remembers the sessions of the acknowledged (200) runs and counts the others by status (-1: no answer),
 * so the test can check that nothing acknowledged was lost.
 */
public final class RunLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<String> acknowledged = new CopyOnWriteArrayList<>();
    private final Map<Integer, Integer> failures = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();

    private RunLoad() { }

    /** @param url an agent's run endpoint; {@code token} a bearer token allowed to run it */
    public static RunLoad start(HttpClient http, String url, String token, int clients) {
        RunLoad load = new RunLoad();
        for (int i = 0; i < clients; i++) {
            load.threads.add(Thread.ofPlatform().start(() -> {
                int n = 0;
                while (load.running.get()) {
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(90)).header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"message\": \"load " + n++ + "\"}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) load.acknowledged.add(JSON.readTree(r.body()).get("session_id").asText());
                        else load.failures.merge(r.statusCode(), 1, Integer::sum);
                    } catch (Exception e) {
                        load.failures.merge(-1, 1, Integer::sum);
                    }
                }
            }));
        }
        return load;
    }

    /** Stops the clients (each finishes its run in flight) and returns the acknowledged runs' sessions. */
    public List<String> stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) t.join(120_000);
        return List.copyOf(acknowledged);
    }

    public int failures() { return failures.values().stream().mapToInt(Integer::intValue).sum(); }
}
