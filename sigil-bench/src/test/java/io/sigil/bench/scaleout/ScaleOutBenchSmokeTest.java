package io.sigil.bench.scaleout;

import com.sun.net.httpserver.HttpServer;
import io.sigil.memory.Embedder;
import io.sigil.testing.PrivateRedis;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scale-out command's parts on a tiny scale: the closed-loop clients and the query-vector paths. */
class ScaleOutBenchSmokeTest {
    @TempDir
    Path dir;

    @Test
    void closedLoopClientsCountAnsweredRequestsAndStopAtTheFirstError() throws Exception {
        AtomicInteger served = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok", x -> {
            served.incrementAndGet();
            x.sendResponseHeaders(200, 2);
            x.getResponseBody().write("ok".getBytes());
            x.close();
        });
        server.createContext("/fail", x -> {
            x.sendResponseHeaders(503, -1);
            x.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            HttpClient http = HttpClient.newHttpClient();
            ClosedLoop.Round r = ClosedLoop.run(http, 2, Duration.ofMillis(500), c -> HttpRequest.newBuilder(URI.create(base + "/ok")).build());
            assertThat(r.requests()).isPositive().isLessThanOrEqualTo(served.get());
            assertThat(r.perSecond()).isPositive();
            assertThat(r.p50Ms()).isPositive().isLessThanOrEqualTo(r.p99Ms());
            assertThatThrownBy(() -> ClosedLoop.run(http, 1, Duration.ofSeconds(5), c -> HttpRequest.newBuilder(URI.create(base + "/fail")).build()))
                    .hasMessageContaining("HTTP 503");
        } finally {
            server.stop(0);
        }
        assertThat(ClosedLoop.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(ClosedLoop.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
    }

    @Test
    void onlyTheEmbedPathRunsTheModel() throws Exception {
        Assumptions.assumeTrue(PrivateRedis.available(), "redis-server is not installed (.ci/run installs it)");
        AtomicInteger runs = new AtomicInteger();
        Embedder model = new Embedder() {
            @Override public String model() { return "smoke"; }
            @Override public int dimension() { return 8; }

            @Override
            public List<float[]> embed(List<String> texts) {
                runs.addAndGet(texts.size());
                return texts.stream().map(t -> new float[] {t.length(), 1, 2, 3, 4, 5, 6, 7}).toList();
            }
        };
        try (PrivateRedis redis = PrivateRedis.start(dir.resolve("redis"))) {
            QueryVectorCost.run(model, redis.url(), 2, 5);
            LimiterCost.run(redis.url(), 1, 50);
        }
        // The model's warm-up, each round's 5 fresh queries and the local cache's one miss per round (untimed);
        // the Redis hits and the timed local hits never run the model.
        assertThat(runs).hasValue(1 + 2 * 5 + 2);
    }
}
