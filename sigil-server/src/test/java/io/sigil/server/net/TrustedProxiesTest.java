package io.sigil.server.net;

import io.sigil.errors.ConfigError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustedProxiesTest {
    private final TrustedProxies proxies = TrustedProxies.parse(List.of("127.0.0.1", "10.0.0.0/8", "fd00::/8"));

    @Test
    void anUntrustedPeerIsItsOwnClientWhateverItSends() {
        assertThat(proxies.client("203.0.113.7", "198.51.100.1")).isEqualTo("203.0.113.7");
        assertThat(TrustedProxies.NONE.client("127.0.0.1", "198.51.100.1")).isEqualTo("127.0.0.1");
    }

    @Test
    void fromATrustedProxyTheRightMostUntrustedHopIsTheClient() {
        assertThat(proxies.client("127.0.0.1", "198.51.100.1")).isEqualTo("198.51.100.1");
        // The client wrote "6.6.6.6" itself; nginx appended what it saw, and an inner proxy its own peer.
        assertThat(proxies.client("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.1.2.3")).isEqualTo("198.51.100.1");
        assertThat(proxies.client("127.0.0.1", "10.1.2.3")).as("only proxies: the outermost").isEqualTo("10.1.2.3");
        assertThat(proxies.client("fd12::1", "2001:db8::5")).isEqualTo("2001:db8::5");
    }

    @Test
    void garbageStopsTheWalk() {
        assertThat(proxies.client("127.0.0.1", "evil.example, 198.51.100.1")).isEqualTo("198.51.100.1");
        assertThat(proxies.client("127.0.0.1", "not-an-ip")).isEqualTo("127.0.0.1");
        assertThat(proxies.client("127.0.0.1", null)).isEqualTo("127.0.0.1");
    }

    @Test
    void rangesMatchByPrefix() {
        TrustedProxies p = TrustedProxies.parse(List.of("192.168.4.0/22"));
        assertThat(p.trusts("192.168.7.255")).isTrue();
        assertThat(p.trusts("192.168.8.0")).isFalse();
        assertThat(p.trusts("::1")).isFalse();
    }

    @Test
    void badEntriesAreAConfigErrorNamingTheEntry() {
        assertThatThrownBy(() -> TrustedProxies.parse(List.of("nginx.internal")))
                .isInstanceOf(ConfigError.class).hasMessageContaining("'nginx.internal'");
        assertThatThrownBy(() -> TrustedProxies.parse(List.of("10.0.0.0/33"))).isInstanceOf(ConfigError.class);
    }
}
