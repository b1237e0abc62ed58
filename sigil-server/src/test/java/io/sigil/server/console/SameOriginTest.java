package io.sigil.server.console;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The origin rule of console form posts and the WebSocket cookie: the Origin must name the server's own host. */
class SameOriginTest {

    @Test
    void theConsolesOwnOriginMatches() {
        assertThat(ConsoleAuth.sameHost("http://127.0.0.1:8000", "127.0.0.1:8000")).isTrue();
        assertThat(ConsoleAuth.sameHost("https://sigil.example.com", "sigil.example.com")).isTrue();
        assertThat(ConsoleAuth.sameHost("https://sigil.example.com", "SIGIL.example.com:443")).isTrue();
        assertThat(ConsoleAuth.sameHost("http://[::1]:8000", "[::1]:8000")).isTrue();
        // Behind a proxy that forwards the host name without the port.
        assertThat(ConsoleAuth.sameHost("https://sigil.example.com:8443", "sigil.example.com")).isTrue();
        assertThat(ConsoleAuth.sameHost("http://127.0.0.1:8000/console/live", "127.0.0.1:8000")).isTrue();
    }

    @Test
    void anyOtherOriginDoesNot() {
        assertThat(ConsoleAuth.sameHost("https://evil.example", "sigil.example.com")).isFalse();
        assertThat(ConsoleAuth.sameHost("https://sigil.example.com.evil.example", "sigil.example.com")).isFalse();
        assertThat(ConsoleAuth.sameHost("http://127.0.0.1:9999", "127.0.0.1:8000")).isFalse();
        assertThat(ConsoleAuth.sameHost("https://sigil.example.com", "sigil.example.com:8443")).isFalse();
        assertThat(ConsoleAuth.sameHost("null", "sigil.example.com")).isFalse();
        assertThat(ConsoleAuth.sameHost("not a url", "sigil.example.com")).isFalse();
        assertThat(ConsoleAuth.sameHost("http://sigil.example.com", null)).isFalse();
        assertThat(ConsoleAuth.sameHost("http://a@evil.example", "a")).isFalse();
    }
}
