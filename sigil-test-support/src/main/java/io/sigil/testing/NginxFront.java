package io.sigil.testing;

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
public final class NginxFront implements AutoCloseable {
    public final Path conf;
    public final int https;
    private final Process process;

    private NginxFront(Path conf, int https, Process process) {
        this.conf = conf;
        this.https = https;
        this.process = process;
    }

    /** Whether nginx and openssl can be run here. */
    public static boolean available() { return find("nginx") != null && find("openssl") != null; }

    public static NginxFront start(Path conf, List<Integer> upstreamPorts) throws Exception {
        String nginxBin = require("nginx");
        String openssl = require("openssl");
        Files.createDirectories(conf.resolve("ssl"));
        Files.createDirectories(conf.resolve("logs"));
        Process req = new ProcessBuilder(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", "ssl/sigil.key", "-out", "ssl/sigil.crt", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1").directory(conf.toFile()).redirectErrorStream(true)
                .redirectOutput(conf.resolve("logs/openssl.log").toFile()).start();
        if (!req.waitFor(60, TimeUnit.SECONDS) || req.exitValue() != 0) {
            throw new IOException("openssl req failed: " + Files.readString(conf.resolve("logs/openssl.log")));
        }
        int http = SigilReplica.freePort();
        int https = SigilReplica.freePort();
        String servers = upstreamPorts.stream().map(p -> "server 127.0.0.1:" + p + " max_fails=1 fail_timeout=2s;")
                .collect(Collectors.joining("\n        "));
        String c = Files.readString(repositoryFile("nginx/nginx.conf"));
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

    /** The shipped file, found above the working directory (tests and benchmarks run inside the repository). */
    static Path repositoryFile(String relative) throws IOException {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("mvnw")) && Files.exists(p.resolve(relative))) return p.resolve(relative);
        }
        throw new IOException("no " + relative + " in a repository root above " + Path.of("").toAbsolutePath());
    }

    private static String find(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin"));
        for (String dir : dirs) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    private static String require(String tool) {
        String found = find(tool);
        if (found == null) {
            throw new IllegalStateException(tool + " is not installed; install the Debian package: apt-get install -y "
                    + tool + " (bash .ci/run installs it when missing)");
        }
        return found;
    }

    private static String replace(String text, String from, String to) {
        if (!text.contains(from)) throw new IllegalStateException("nginx.conf is expected to contain \"" + from + "\"");
        return text.replace(from, to);
    }

    public String url() { return "https://127.0.0.1:" + https; }

    public String wsUrl() { return "wss://127.0.0.1:" + https; }

    /** TLS trusting this nginx's throw-away certificate only. */
    public SSLContext trust() throws Exception { return trusting(conf.resolve("ssl/sigil.crt")); }

    /** TLS trusting exactly {@code certificate} (PEM). */
    public static SSLContext trusting(Path certificate) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
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
