package io.sigil.server.cluster;

import io.sigil.auth.HmacKey;
import io.sigil.testing.ClusterScratch;
import io.sigil.testing.NginxFront;
import io.sigil.testing.SigilReplica;
import io.sigil.auth.JwtSigner;
import io.sigil.auth.Scope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-client rate limits behind the real nginx (a test copy of the shipped nginx.conf): the replica trusts
 * X-Forwarded-For only from nginx's address (127.0.0.1). Clients connect from other loopback addresses (127.0.0.2,
 * .3, .4: all local on Linux), so nginx forwards distinct client addresses and a direct client is not the proxy.
 * Requests carry a JWT (no API key), so they are charged to the client address's bucket, 5 per minute here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardedForIT {
    static final String SECRET = "forwarded-for-secret-0123456789-abcdefghijkl";
    static final int LIMIT = 5;

    private Path dir;
    private SigilReplica replica;
    private NginxFront nginx;
    private String token;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("sigil-xff-");
        replica = new SigilReplica("xff", dir.resolve("replica"), Map.of(
                "SIGIL_JWT_SECRET", SECRET,
                "SIGIL_LLM_MODEL", "test",
                "SIGIL_USE_MEMORY", "false",
                "SIGIL_RATE_LIMIT_PER_MINUTE", Integer.toString(LIMIT),
                "SIGIL_API_HOST", "127.0.0.1",
                "SIGIL_API_TRUSTED_PROXIES", "127.0.0.1",
                "SIGIL_STATE_DATA_DIR", dir.resolve("replica").resolve("state").toString())).start();
        nginx = NginxFront.start(dir.resolve("nginx"), List.of(replica.port));
        token = new JwtSigner(HmacKey.of(SECRET), Clock.systemUTC())
                .mint("xff-tester", Set.of(Scope.AGENTS_READ), Duration.ofMinutes(30), null, null);
    }

    @AfterAll
    void stop() throws Exception {
        if (nginx != null) nginx.close();
        if (replica != null) replica.close();
        ClusterScratch.deleteTree(dir);
    }

    @Test
    void throughTheTrustedProxyEachForwardedClientHasItsOwnBucketAndCannotSpoofAnother() throws Exception {
        HttpClient fromTwo = client("127.0.0.2");
        List<Integer> two = statuses(fromTwo, nginx.url(), LIMIT + 2, i -> null);
        assertThat(two.subList(0, LIMIT)).as("127.0.0.2's own %d per minute", LIMIT).containsOnly(200);
        assertThat(two.subList(LIMIT, LIMIT + 2)).containsOnly(429);

        // Another client behind the same proxy still has its whole bucket: limits follow the forwarded address,
        // not nginx's (which would put every client in one bucket).
        List<Integer> three = statuses(client("127.0.0.3"), nginx.url(), LIMIT, i -> null);
        assertThat(three).as("127.0.0.3 through nginx").containsOnly(200);

        // 127.0.0.2 writing its own X-Forwarded-For: nginx appends the address it saw, Sigil takes the right-most
        // untrusted entry, so the made-up addresses on the left change nothing.
        List<Integer> spoofed = statuses(fromTwo, nginx.url(), 3, i -> "10.20.30." + i);
        assertThat(spoofed).as("a client-written X-Forwarded-For through nginx is not believed").containsOnly(429);
    }

    @Test
    void aDirectClientCannotPickItsBucketWithXForwardedFor() throws Exception {
        // 127.0.0.4 is not a trusted proxy: whatever X-Forwarded-For it sends, it is charged as itself.
        HttpResponse<String> last = null;
        List<Integer> direct = new ArrayList<>();
        HttpClient fromFour = client("127.0.0.4");
        for (int i = 0; i < LIMIT + 3; i++) {
            last = fromFour.send(request(replica.url(), "192.0.2." + i), HttpResponse.BodyHandlers.ofString());
            direct.add(last.statusCode());
        }
        assertThat(direct.subList(0, LIMIT)).containsOnly(200);
        assertThat(direct.subList(LIMIT, LIMIT + 3)).as("a new X-Forwarded-For each time, one bucket").containsOnly(429);
        assertThat(last.headers().firstValue("RateLimit-Limit")).hasValue(Integer.toString(LIMIT));
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
        assertThat(last.body()).contains("Rate limit of " + LIMIT + " requests per minute exceeded");
    }

    private HttpClient client(String localAddress) throws Exception {
        return HttpClient.newBuilder().localAddress(InetAddress.getByName(localAddress)).sslContext(nginx.trust())
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private List<Integer> statuses(HttpClient http, String base, int n, java.util.function.IntFunction<String> forwardedFor)
            throws Exception {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(http.send(request(base, forwardedFor.apply(i)), HttpResponse.BodyHandlers.discarding()).statusCode());
        return out;
    }

    private HttpRequest request(String base, String forwardedFor) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/agents")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).GET();
        if (forwardedFor != null) b.header("X-Forwarded-For", forwardedFor);
        return b.build();
    }
}
