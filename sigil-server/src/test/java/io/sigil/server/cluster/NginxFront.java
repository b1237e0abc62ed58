package io.sigil.server.cluster;

import io.sigil.server.deploy.DeployFiles;
import io.sigil.server.deploy.ProcessRunner;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The shipped {@code nginx/nginx.conf} in front of local replicas: its one upstream gets their ports, the listen
 * ports are free local ones, TLS uses a throw-away certificate, and nginx's own per-address limit is raised (every
 * test client is 127.0.0.1, so its 10 r/s would hide Sigil's own limits). Run in the foreground with a temp prefix.
 */
final class NginxFront implements AutoCloseable {
    final Path conf;
    final int https;
    private final Process process;

    private NginxFront(Path conf, int https, Process process) {
        this.conf = conf;
        this.https = https;
        this.process = process;
    }

    static NginxFront start(Path conf, List<Integer> upstreamPorts) throws Exception {
        String nginxBin = ProcessRunner.require("nginx", "nginx");
        String openssl = ProcessRunner.require("openssl", "openssl");
        Files.createDirectories(conf.resolve("ssl"));
        Files.createDirectories(conf.resolve("logs"));
        ProcessRunner.run(conf, 60, List.of(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", "ssl/sigil.key", "-out", "ssl/sigil.crt", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1")).ok("openssl req");
        int http = SigilReplica.freePort();
        int https = SigilReplica.freePort();
        String servers = upstreamPorts.stream().map(p -> "server 127.0.0.1:" + p + " max_fails=1 fail_timeout=2s;")
                .collect(Collectors.joining("\n        "));
        String c = DeployFiles.read("nginx/nginx.conf");
        c = replace(c, "server sigil-api:8000;", servers);
        c = replace(c, "listen 80;", "listen 127.0.0.1:" + http + ";");
        c = replace(c, "listen 443 ssl http2;", "listen 127.0.0.1:" + https + " ssl http2;");
        c = replace(c, "/etc/nginx/ssl/", conf.resolve("ssl") + "/");
        c = replace(c, "include mime.types;", "include /etc/nginx/mime.types;");
        c = replace(c, "rate=10r/s", "rate=10000r/s");
        Files.writeString(conf.resolve("nginx.conf"), c);
        List<String> cmd = new ArrayList<>(List.of(nginxBin, "-p", conf + "/", "-c", conf.resolve("nginx.conf").toString(),
                "-e", conf.resolve("logs/error.log").toString(), "-g",
                "daemon off; pid " + conf.resolve("nginx.pid") + ";"
                        + ("root".equals(System.getProperty("user.name")) ? " user root;" : "")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(conf.resolve("logs/stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!p.isAlive()) throw new IOException("nginx exited: " + Files.readString(conf.resolve("logs/error.log")));
            try (Socket ignored = new Socket("127.0.0.1", https)) {
                break;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) throw new IOException("nginx did not listen within 30 s");
                Thread.sleep(100);
            }
        }
        return new NginxFront(conf, https, p);
    }

    private static String replace(String text, String from, String to) {
        if (!text.contains(from)) throw new AssertionError("nginx.conf is expected to contain \"" + from + "\"");
        return text.replace(from, to);
    }

    String url() { return "https://127.0.0.1:" + https; }

    String wsUrl() { return "wss://127.0.0.1:" + https; }

    SSLContext trust() throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(conf.resolve("ssl/sigil.crt"))) {
            ks.setCertificateEntry("sigil", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
