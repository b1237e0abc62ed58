package io.sigil.bench.http;

import io.sigil.config.Settings;
import io.sigil.server.ServerAssembly;
import io.sigil.server.ServerOptions;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What slow-header clients do to the server, with and without connection hygiene, in interleaved rounds: N
 * connections each send a request line and then one header line every 2 s, never ending the head (the attack of
 * issue 15); after {@code hold} seconds we count how many the server still holds open and time 50 ordinary
 * {@code GET /health} requests from another client.
 *
 * <p>"guarded": the defaults (request head within 10 s, 512 connections per client address); "unguarded":
 * head deadline 1 h and caps of 1,000,000, i.e. Jetty's idle timeout alone, as before. Run:
 * {@code java -cp sigil-bench/target/benchmarks.jar io.sigil.bench.http.SlowHeaderClients 2000 15 3}
 * (connections, hold seconds, rounds). Client and server share the process, so N is bounded by half the
 * file-descriptor limit.
 */
public final class SlowHeaderClients {
    private SlowHeaderClients() { }

    record Result(String config, int round, int held, int opened, double p50Ms, double maxMs, int failed) { }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int hold = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<Result> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (boolean guarded : new boolean[] {true, false}) {
                Result r = round(guarded, round, n, Duration.ofSeconds(hold));
                results.add(r);
                System.out.printf("%-9s round %d: %d of %d slow connections still held after %d s; /health p50 %.1f ms,"
                        + " max %.1f ms, %d failed%n", r.config(), round, r.held(), r.opened(), hold, r.p50Ms(), r.maxMs(),
                        r.failed());
            }
        }
    }

    private static Result round(boolean guarded, int round, int n, Duration hold) throws Exception {
        Path dir = Files.createTempDirectory("sigil-slow-clients");
        Settings d = Settings.defaults();
        Settings.Api a = d.api();
        Settings.Api api = guarded ? new Settings.Api("127.0.0.1", 0, 1, false, a.corsOrigins(), a.maxBodyBytes(),
                a.shutdownGrace())
                : new Settings.Api("127.0.0.1", 0, 1, false, a.corsOrigins(), a.maxBodyBytes(), a.shutdownGrace(),
                1_000_000, 1_000_000, Duration.ofHours(1), 0);
        Settings settings = new Settings(Settings.Environment.TEST, false, d.features(), d.llm(),
                new Settings.Memory(dir.resolve("memory"), d.memory().embeddingModel(), null, 5, 0.7, 100, 100),
                d.contracts(), new Settings.State(dir.resolve("state"), 10_000, "file"), api,
                new Settings.Security("bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz", "HS256", 60, null, null,
                        1_000_000, "flag"), d.logging(), d.telemetry(), d.routing(), d.agents(), d.tools(), d.services());
        var server = ServerAssembly.assemble(settings, ServerOptions.DEFAULTS, List.of(), Clock.systemUTC()).server();
        server.start("127.0.0.1", 0);
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                try {
                    Socket s = new Socket("127.0.0.1", server.port());
                    s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: bench\r\n".getBytes(StandardCharsets.US_ASCII));
                    slow.add(s);
                } catch (IOException e) {
                    break; // out of descriptors or refused: count what was opened
                }
            }
            long end = System.nanoTime() + hold.toNanos();
            int line = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(2_000);
                byte[] header = ("X-Trickle-" + line++ + ": x\r\n").getBytes(StandardCharsets.US_ASCII);
                for (Socket s : slow) {
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write(header);
                        out.flush();
                    } catch (IOException e) {
                        s.close(); // dropped by the server
                    }
                }
            }
            int held = (int) slow.stream().filter(s -> !s.isClosed() && stillOpen(s)).count();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            double[] ms = new double[50];
            int failed = 0;
            for (int i = 0; i < ms.length; i++) {
                long t = System.nanoTime();
                try {
                    client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                } catch (IOException e) {
                    failed++;
                }
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(ms);
            return new Result(guarded ? "guarded" : "unguarded", round, held, slow.size(), ms[ms.length / 2],
                    ms[ms.length - 1], failed);
        } finally {
            for (Socket s : slow) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
            server.stop();
        }
    }

    /** True while the server has not closed the connection (a read finds no end of stream within 1 ms). */
    private static boolean stillOpen(Socket s) {
        try {
            s.setSoTimeout(1);
            return s.getInputStream().read() >= 0;
        } catch (java.net.SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
