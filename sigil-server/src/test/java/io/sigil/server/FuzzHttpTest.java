package io.sigil.server;

import io.sigil.auth.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 2,000 malformed requests (bodies, headers, methods, paths; half through an HTTP client, half as raw bytes on a
 * socket so even invalid HTTP is sent): none may produce a 5xx, and the server must still be healthy after.
 */
class FuzzHttpTest {
    private static final int REQUESTS = 2_000;
    private static final String[] METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE",
            "PROPFIND", "FOO", "G3T", "CONNECT"};
    private static final String[] PATHS = {"/health", "/metrics", "/debug/config", "/debug/state", "/openapi.json",
            "/test/notes", "/test/items", "/test/items?limit=-5", "/test/items?limit=99999999999999999999",
            "/test/items?offset=1e9", "/test/sessions/..%2F..%2Fetc%2Fpasswd", "/test/sessions/%00", "/../../etc/passwd",
            "/health/../metrics", "//health", "/health?" + "a=b&".repeat(200), "/" + "x".repeat(4000), "/%E2%9C%93",
            "/test/sessions/%F0%9F%98%80", "/test/notes/", "/TEST/NOTES", "/test;jsessionid=1/items", "/*", "/test/items#frag"};
    private static final String[] BODIES = {"", "{", "}", "[]", "null", "true", "\"text\"", "{\"text\":", "{\"text\":null}",
            "{\"text\":\"a\",\"priority\":1e999}", "{\"text\":\"a\",\"priority\":99999999999999999999}",
            "{\"text\":\"a\",\"priority\":1.5}", "{\"text\":[1,2],\"priority\":1}", "{\"text\":\"a\",\"tags\":{}}",
            "{\"text\":\"\\ud800\",\"priority\":1}", "{\"text\":\"a\",\"priority\":1,\"tags\":[null]}",
            "[".repeat(5000) + "]".repeat(5000), "{\"a\":".repeat(3000) + "1" + "}".repeat(3000), "\u0000\u0001\u0002",
            "{'text':'single quotes'}", "{\"text\":\"a\"}garbage", "NaN", "{\"text\":\"a\",\"priority\":NaN}"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-16",
            "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml",
            "application/json;;;", "*/*", "\u00e9"};

    @TempDir
    Path dir;

    @Test
    void malformedRequestsNeverCauseServerErrors() throws Exception {
        try (TestServer server = new TestServer(dir, TestServer.Options.defaults(), TestEndpoints.all())) {
            String token = server.token(Scope.ADMIN);
            Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
            List<String> serverErrors = java.util.Collections.synchronizedList(new ArrayList<>());
            try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
                List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                    long seed = 9_000 + i;
                    boolean raw = i % 2 == 1;
                    futures.add(pool.submit(() -> {
                        Random random = new Random(seed);
                        String outcome = raw ? rawRequest(server.server().port(), random, token)
                                : clientRequest(server, random, token);
                        statuses.computeIfAbsent(outcome.split(" ")[0], k -> new AtomicInteger()).incrementAndGet();
                        // 505 is HTTP's own answer to a request line naming a version other than 1.0/1.1; Jetty's
                        // parser gives it before any Sigil code runs. Every other 5xx is a failure.
                        boolean badVersion = outcome.startsWith("505 ") && outcome.contains(" badversion ");
                        if (outcome.startsWith("5") && !badVersion) serverErrors.add("seed " + seed + ": " + outcome);
                        return null;
                    }));
                }
                for (Future<?> f : futures) f.get();
            }
            assertThat(serverErrors).as("5xx responses; status counts " + statuses).isEmpty();
            assertThat(statuses).as("every error answered to a well-formed request is a problem document")
                    .doesNotContainKey("not-a-problem-document");
            assertThat(statuses.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(REQUESTS);
            assertThat(statuses.keySet()).as("the fuzzer reached handlers, not only the parser").contains("200", "400", "401", "404");
            assertThat(server.get("/health").statusCode()).isEqualTo(200);
        }
    }

    private static <T> T pick(Random r, T[] values) {
        return values[r.nextInt(values.length)];
    }

    private static String junk(Random r, int max) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) sb.append((char) (0x20 + r.nextInt(0x5f)));
        return sb.toString();
    }

    private static String clientRequest(TestServer server, Random r, String token) {
        String method = pick(r, new String[] {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "PROPFIND", "FOO"});
        String path = pick(r, PATHS).replace("#frag", "");
        HttpRequest.Builder b;
        try {
            b = server.request(path);
        } catch (IllegalArgumentException e) {
            return "skipped-uri";
        }
        String body = r.nextInt(10) == 0 ? junk(r, 3000) : pick(r, BODIES);
        b.method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        b.header("Content-Type", pick(r, CONTENT_TYPES).replace("\u00e9", "e"));
        switch (r.nextInt(6)) {
            case 0 -> b.header("Authorization", "Bearer " + token);
            case 1 -> b.header("Authorization", "Bearer " + junk(r, 200));
            case 2 -> b.header("X-API-Key", junk(r, 400));
            case 3 -> b.header("Authorization", junk(r, 50));
            case 4 -> b.header("Authorization", "Bearer " + token.substring(0, r.nextInt(token.length())));
            default -> { }
        }
        if (r.nextBoolean()) b.header("X-Request-Id", junk(r, 300));
        if (r.nextBoolean()) b.header("Origin", r.nextBoolean() ? "http://localhost:3000" : junk(r, 40));
        if (r.nextInt(4) == 0) b.header("Access-Control-Request-Method", junk(r, 10));
        if (r.nextInt(5) == 0) b.header("Accept", junk(r, 30));
        try {
            HttpResponse<String> res = server.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            boolean problem = res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
            if (res.statusCode() >= 400 && !problem) return "not-a-problem-document " + res.statusCode() + " " + method + " " + path;
            return res.statusCode() + " " + method + " " + path;
        } catch (IllegalArgumentException e) {
            return "skipped-header";
        } catch (IOException e) {
            return "closed " + method + " " + path;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String rawRequest(int port, Random r, String token) {
        String method = pick(r, METHODS);
        String path = switch (r.nextInt(5)) {
            case 0 -> "/%ZZ" + junk(r, 10).replace(" ", "");
            case 1 -> "/test/items/\u0000";
            case 2 -> "http://evil.example/health";
            default -> pick(r, PATHS);
        };
        String version = pick(r, new String[] {"HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/9.9", "HTTP/1.1 extra", ""});
        String body = pick(r, BODIES);
        StringBuilder req = new StringBuilder(method).append(' ').append(path).append(' ').append(version).append("\r\n");
        req.append("Host: 127.0.0.1:").append(port).append("\r\n");
        switch (r.nextInt(8)) {
            case 0 -> req.append("Content-Length: ").append(pick(r, new String[] {"-1", "abc", "99999999999999999999", "5, 6"})).append("\r\n");
            case 1 -> req.append("Transfer-Encoding: chunked\r\n");
            case 2 -> req.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\nContent-Length: 1\r\n");
            default -> req.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        }
        req.append("Content-Type: ").append(pick(r, CONTENT_TYPES)).append("\r\n");
        switch (r.nextInt(6)) {
            case 0 -> req.append("Authorization: Bearer ").append(token).append("\r\n");
            case 1 -> req.append("Authorization: Bearer ").append("A".repeat(r.nextInt(12_000))).append("\r\n");
            case 2 -> req.append("X-API-Key: ").append(junk(r, 100)).append("\r\n");
            case 3 -> req.append("Bad Header Line Without Colon\r\n");
            case 4 -> req.append(": empty-name\r\nX-Request-Id: ").append(junk(r, 500)).append("\r\n");
            default -> req.append("X-Folded: a\r\n  continued\r\n");
        }
        req.append("Connection: close\r\n\r\n").append(body);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String statusLine = readLine(socket.getInputStream());
            String[] parts = statusLine.split(" ");
            boolean validVersion = version.equals("HTTP/1.1") || version.equals("HTTP/1.0");
            return (parts.length > 1 ? parts[1] : "no-status") + (validVersion ? " raw " : " badversion ") + method
                    + " " + path.replace("\u0000", "\\0");
        } catch (IOException e) {
            return "closed raw " + method;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') line.write(c);
        return line.toString(StandardCharsets.ISO_8859_1).trim();
    }
}
