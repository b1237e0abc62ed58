package io.sigil.server;

import io.sigil.config.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connection hygiene over raw sockets: a client that trickles its request head (one header line every second) is
 * dropped at the head deadline while a normal client is still served, and connections from one address beyond the
 * per-client cap are closed as they are accepted.
 */
class ConnectionHygieneHttpTest {
    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() {
        Settings s = TestServer.settings(dir, TestServer.Options.defaults());
        Settings.Api a = s.api();
        Settings.Api strict = new Settings.Api(a.host(), a.port(), a.workers(), a.debug(), a.corsOrigins(),
                a.maxBodyBytes(), a.shutdownGrace(), 1000, 5, Duration.ofSeconds(2), 1024);
        Settings settings = new Settings(s.environment(), s.debug(), s.features(), s.llm(), s.memory(), s.contracts(),
                s.state(), strict, s.security(), s.logging(), s.telemetry(), s.routing(), s.agents(), s.tools(),
                s.services());
        server = new TestServer(settings, TestServer.Options.defaults(), ServerComponents.of(List.of(), List.of()));
    }

    @AfterEach
    void stop() { server.close(); }

    @Test
    void aClientTricklingHeaderLinesIsDroppedAtTheDeadline() throws Exception {
        try (Socket slow = connect()) {
            OutputStream out = slow.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            boolean dropped = false;
            // One header line a second, never the blank line that ends the head: Jetty's idle timeout alone never fires.
            for (int i = 0; i < 15 && !dropped; i++) {
                Thread.sleep(1_000);
                try {
                    out.write(("X-Slow-" + i + ": " + "a".repeat(10) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    dropped = closedByPeer(slow);
                } catch (IOException e) {
                    dropped = true;
                }
                // A normal client is served meanwhile.
                assertThat(server.get("/health").statusCode()).isIn(200, 503);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(dropped).as("the trickling connection was closed").isTrue();
            assertThat(took).isBetween(Duration.ofMillis(1_500), Duration.ofSeconds(10));
        }
    }

    @Test
    void aKeepAliveConnectionIdleBetweenRequestsIsNotCut() throws Exception {
        try (Socket s = connect()) {
            for (int i = 0; i < 2; i++) {
                s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String head = readHead(s.getInputStream());
                assertThat(head).startsWith("HTTP/1.1 ");
                Thread.sleep(3_000); // idle past the 2 s head deadline: an idle keep-alive connection is not cut
            }
        }
    }

    @Test
    void connectionsOverThePerClientCapAreClosed() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) held.add(connect());
            Thread.sleep(300);
            for (Socket s : held) assertThat(closedByPeer(s)).isFalse();
            try (Socket extra = connect()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                boolean closed = false;
                while (!closed && System.nanoTime() < deadline) closed = closedByPeer(extra);
                assertThat(closed).as("the sixth connection from one address is closed").isTrue();
            }
            held.removeFirst().close();
            Thread.sleep(300); // the count goes back down once a connection closes
            try (Socket again = connect()) {
                again.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(readHead(again.getInputStream())).startsWith("HTTP/1.1 ");
            }
        } finally {
            for (Socket s : held) s.close();
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.server().port());
        s.setSoTimeout(200);
        return s;
    }

    /** True once the server closed the connection (end of stream or reset) within the socket's read timeout. */
    private static boolean closedByPeer(Socket s) {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!sb.toString().contains("\r\n\r\n") && System.nanoTime() < deadline) {
            try {
                int b = in.read();
                if (b < 0) break;
                sb.append((char) b);
            } catch (SocketTimeoutException e) {
                // keep waiting until the deadline
            }
        }
        // Drain the body of the keep-alive response so the next request starts clean.
        int length = 0;
        for (String line : sb.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).strip());
        }
        for (int read = 0; read < length && System.nanoTime() < deadline; ) {
            try {
                if (in.read() < 0) break;
                read++;
            } catch (SocketTimeoutException e) {
                // keep waiting
            }
        }
        return sb.toString();
    }
}
