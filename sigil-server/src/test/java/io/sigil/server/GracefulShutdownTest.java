package io.sigil.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void requestsInFlightFinishAndNewConnectionsAreRefused() throws Exception {
        Semaphore entered = new Semaphore(0);
        TestServer server = new TestServer(dir, TestServer.Options.defaults(), TestEndpoints.all(entered));
        int port = server.server().port();
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> server.get("/test/slow?ms=1500"));
        assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).as("the slow request is being handled").isTrue();
        long stopStarted = System.nanoTime();
        server.server().stop();
        Duration stopTook = Duration.ofNanos(System.nanoTime() - stopStarted);

        HttpResponse<String> finished = slow.get();
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).contains("\"done\":true");
        assertThat(stopTook).as("stop waited for the request").isGreaterThan(Duration.ofMillis(500));
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void requestsLongerThanTheTimeoutDoNotHoldShutdownForever() throws Exception {
        var options = new TestServer.Options(100_000, false, null, null, java.util.List.of(), 4096, Duration.ofMillis(300));
        Semaphore entered = new Semaphore(0);
        TestServer server = new TestServer(dir, options, TestEndpoints.all(entered));
        CompletableFuture<HttpResponse<String>> stuck = CompletableFuture.supplyAsync(() -> {
            try {
                return server.get("/test/slow?ms=8000");
            } catch (RuntimeException e) {
                return null;
            }
        });
        assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        int port = server.server().port();
        long started = System.nanoTime();
        server.server().stop();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        stuck.cancel(true);
    }
}
