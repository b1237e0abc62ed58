package io.sigil.server;

import io.sigil.server.deploy.DeployFiles;
import io.sigil.server.deploy.ProcessRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped nginx/nginx.conf, with test host names and ports: {@code nginx -t}, then nginx in the foreground in
 * front of a real Sigil, and requests through it (HTTPS with a throw-away certificate, the HTTP redirect, gzip,
 * /metrics reaching Sigil from an allowed address, the rate limit zone answering 429).
 */
class NginxConfigIT {
    @TempDir
    Path dir;
    TestServer sigil;
    Process nginx;

    @AfterEach
    void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) nginx.destroyForcibly();
        }
        if (sigil != null) sigil.close();
    }

    @Test
    void configIsValidAndProxiesToSigil() throws Exception {
        String nginxBin = ProcessRunner.require("nginx", "nginx");
        String openssl = ProcessRunner.require("openssl", "openssl");
        sigil = new TestServer(dir.resolve("sigil"));
        int http = freePort();
        int https = freePort();

        Path conf = dir.resolve("nginx");
        Files.createDirectories(conf.resolve("ssl"));
        Files.createDirectories(conf.resolve("logs"));
        ProcessRunner.run(conf, 60, List.of(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", "ssl/sigil.key", "-out", "ssl/sigil.crt", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1")).ok("openssl req");
        String shipped = DeployFiles.read("nginx/nginx.conf");
        String test = replaceExactly(shipped, "server sigil-api:8000;", "server 127.0.0.1:" + sigil.server().port() + ";");
        test = replaceExactly(test, "listen 80;", "listen 127.0.0.1:" + http + ";");
        test = replaceExactly(test, "listen 443 ssl http2;", "listen 127.0.0.1:" + https + " ssl http2;");
        test = replaceExactly(test, "/etc/nginx/ssl/", conf.resolve("ssl") + "/");
        test = replaceExactly(test, "include mime.types;", "include /etc/nginx/mime.types;");
        Files.writeString(conf.resolve("nginx.conf"), test);

        List<String> cmd = new ArrayList<>(List.of(nginxBin, "-p", conf + "/", "-c", conf.resolve("nginx.conf").toString(),
                "-e", conf.resolve("logs/error.log").toString(), "-g",
                "daemon off; pid " + conf.resolve("nginx.pid") + ";" + ("root".equals(System.getProperty("user.name")) ? " user root;" : "")));
        List<String> check = new ArrayList<>(cmd);
        check.add("-t");
        String checked = ProcessRunner.run(conf, 60, check).ok("nginx -t").output();
        assertThat(checked).contains("syntax is ok").contains("test is successful");

        nginx = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(conf.resolve("logs/stdout.log").toFile()).start();
        awaitPort(https);

        HttpClient client = HttpClient.newBuilder().sslContext(trusting(conf.resolve("ssl/sigil.crt")))
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> live = client.send(get("https://127.0.0.1:" + https + "/health/live").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"live\"}");
        assertThat(live.headers().firstValue("X-Content-Type-Options")).as("Sigil's own headers pass through").hasValue("nosniff");
        assertThat(live.headers().firstValue("Server")).hasValue("nginx");

        HttpResponse<String> redirect = client.send(get("http://127.0.0.1:" + http + "/health/live").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(redirect.headers().firstValue("Location")).hasValue("https://127.0.0.1/health/live");

        HttpResponse<byte[]> openapi = client.send(get("https://127.0.0.1:" + https + "/openapi.json")
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(openapi.headers().firstValue("Content-Encoding")).hasValue("gzip");

        // 127.0.0.1 is allowed by the /metrics location: the request reaches Sigil, which wants the admin scope.
        HttpResponse<String> metrics = client.send(get("https://127.0.0.1:" + https + "/metrics").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(401);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).contains("problem+json");

        // 10 r/s with a burst of 20 in location /: 60 requests at once get some 429s from nginx.
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            burst.add(client.sendAsync(get("https://127.0.0.1:" + https + "/tools").build(), HttpResponse.BodyHandlers.ofString()));
        }
        long limited = burst.stream().map(java.util.concurrent.CompletableFuture::join).filter(r -> r.statusCode() == 429).count();
        assertThat(limited).as("requests over the nginx rate limit").isPositive();
    }

    private static HttpRequest.Builder get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).GET();
    }

    private static String replaceExactly(String text, String from, String to) {
        assertThat(text).as("nginx.conf is expected to contain \"" + from + "\"").contains(from);
        return text.replace(from, to);
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        return io.sigil.testing.NginxFront.trusting(certificate);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void awaitPort(int port) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) {
                throw new AssertionError("nginx exited " + nginx.exitValue() + ": "
                        + Files.readString(dir.resolve("nginx/logs/error.log")));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nginx did not listen on " + port + " within 30 s");
    }
}
