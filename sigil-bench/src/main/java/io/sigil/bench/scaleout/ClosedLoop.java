package io.sigil.bench.scaleout;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * Closed-loop HTTP clients: each sends its next request when the last answered, for a fixed time. Every answer
 * must be 200 (anything else aborts the round: a benchmark of errors measures nothing).
 */
final class ClosedLoop {
    /** One round: requests per second and latency percentiles in milliseconds. */
    record Round(double perSecond, double p50Ms, double p99Ms, int requests) {
        String brief() { return String.format("%.0f/s p99 %.1f ms", perSecond, p99Ms); }
    }

    private ClosedLoop() { }

    /** @param request the request of client {@code c} (a fresh one per call) */
    static Round run(HttpClient http, int clients, Duration length, IntFunction<HttpRequest> request) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        List<long[]> latencies = new ArrayList<>();
        int[] counts = new int[clients];
        Throwable[] failure = new Throwable[1];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long[] lat = new long[200_000];
            latencies.add(lat);
            int client = c;
            threads.add(Thread.ofPlatform().start(() -> {
                int i = 0;
                try {
                    while (running.get() && i < lat.length) {
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = http.send(request.apply(client), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
                        lat[i++] = System.nanoTime() - t0;
                    }
                } catch (Exception e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                    running.set(false);
                }
                counts[client] = i;
            }));
        }
        long start = System.nanoTime();
        long end = start + length.toNanos();
        while (running.get() && System.nanoTime() < end) Thread.sleep(20);
        running.set(false);
        for (Thread t : threads) t.join();
        synchronized (failure) {
            if (failure[0] != null) throw new IllegalStateException("a client failed: " + failure[0].getMessage(), failure[0]);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies.get(c), 0, all, at, counts[c]);
            at += counts[c];
        }
        if (all.length == 0) throw new IllegalStateException("no request answered within " + length);
        Arrays.sort(all);
        return new Round(all.length / seconds, all[all.length / 2] / 1e6, all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6, all.length);
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
