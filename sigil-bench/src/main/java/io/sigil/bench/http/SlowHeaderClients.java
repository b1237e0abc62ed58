package io.sigil.bench.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The slow-header attack of issue 15 against a running server: N connections each send a request line and then
 * one header line every 2 s, never ending the head. After {@code hold} seconds it prints how many the server still
 * holds open, and times 50 ordinary {@code GET /health} requests from another client meanwhile.
 *
 * <p>{@code sigil-bench/http/run-slow-clients.sh} runs it against {@code sigil serve} with the connection limits
 * on (the defaults) and off (Jetty's idle timeout alone, as before), in interleaved rounds. Alone:
 * {@code java -cp sigil-bench/target/classes io.sigil.bench.http.SlowHeaderClients 127.0.0.1:8000 2000 15 label}.
 */
public final class SlowHeaderClients {
    private SlowHeaderClients() { }

    public static void main(String[] args) throws Exception {
        String target = args.length > 0 ? args[0] : "127.0.0.1:8000";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int hold = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        String label = args.length > 3 ? args[3] : "server";
        String host = target.substring(0, target.lastIndexOf(':'));
        int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));

        List<Socket> slow = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < n; i++) {
            try {
                Socket s = new Socket(host, port);
                s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: bench\r\n".getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            } catch (IOException e) {
                refused++;
            }
        }
        long end = System.nanoTime() + Duration.ofSeconds(hold).toNanos();
        for (int line = 0; System.nanoTime() < end; line++) {
            Thread.sleep(2_000);
            byte[] header = ("X-Trickle-" + line + ": x\r\n").getBytes(StandardCharsets.US_ASCII);
            for (Socket s : slow) {
                if (s.isClosed()) continue;
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(header);
                    out.flush();
                } catch (IOException e) {
                    s.close(); // dropped by the server
                }
            }
        }
        int held = (int) slow.stream().filter(SlowHeaderClients::stillOpen).count();

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        double[] ms = new double[50];
        int failed = 0;
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            try {
                client.send(HttpRequest.newBuilder(URI.create("http://" + target + "/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                failed++;
            }
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("%s: %d of %d slow connections held after %d s (%d refused at connect); /health p50 %.1f ms,"
                + " max %.1f ms, %d of 50 failed%n", label, held, slow.size(), hold, refused, ms[ms.length / 2],
                ms[ms.length - 1], failed);
        for (Socket s : slow) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** True while the server has not closed the connection (no end of stream within 1 ms). */
    private static boolean stillOpen(Socket s) {
        if (s.isClosed()) return false;
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
