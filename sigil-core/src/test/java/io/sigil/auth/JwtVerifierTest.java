package io.sigil.auth;

import io.sigil.auth.AuthenticationFailed.Reason;
import io.sigil.errors.ConfigError;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each check of the verifier, identified by the reason it reports (the HTTP tests cover the uniform 401). */
class JwtVerifierTest {
    private static final String SECRET = "unit-test-secret-0123456789-0123456789";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final JwtVerifier verifier = new JwtVerifier(HmacKey.of(SECRET), null, null, Duration.ofSeconds(30), CLOCK);

    private static String token(String header, String claims) throws Exception {
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private Reason reason(String token) {
        try {
            verifier.verify(token);
            throw new AssertionError("accepted: " + token);
        } catch (AuthenticationFailed e) {
            assertThat(e.getMessage()).doesNotContain(token.length() > 20 ? token.substring(0, 20) : "\u0000");
            return e.reason();
        }
    }

    private static final String H = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    private static final long T = NOW.getEpochSecond();

    @Test
    void signerOutputVerifiesWithSubjectAndScopes() throws Exception {
        String token = new JwtSigner(HmacKey.of(SECRET), CLOCK).mint("alice", Set.of(Scope.AGENTS_READ, Scope.RUNS_EXECUTE),
                Duration.ofMinutes(5), null, null);
        Principal p = verifier.verify(token);
        assertThat(p.subject()).isEqualTo("alice");
        assertThat(p.scopes()).containsExactlyInAnyOrder(Scope.AGENTS_READ, Scope.RUNS_EXECUTE);
        assertThat(p.method()).isEqualTo(Principal.Method.JWT);
        assertThat(p.has(Scope.ADMIN)).isFalse();
    }

    @Test
    void timeClaimsUseTheLeewayAndNoMore() throws Exception {
        assertThat(verifier.verify(token(H, "{\"sub\":\"a\",\"exp\":" + (T - 29) + "}")).subject()).isEqualTo("a");
        assertThat(reason(token(H, "{\"sub\":\"a\",\"exp\":" + (T - 30) + "}"))).isEqualTo(Reason.EXPIRED);
        assertThat(verifier.verify(token(H, "{\"sub\":\"a\",\"exp\":" + (T + 60) + ",\"nbf\":" + (T + 30) + "}"))).isNotNull();
        assertThat(reason(token(H, "{\"sub\":\"a\",\"exp\":" + (T + 600) + ",\"nbf\":" + (T + 31) + "}"))).isEqualTo(Reason.NOT_YET_VALID);
        assertThat(reason(token(H, "{\"sub\":\"a\",\"exp\":" + (T + 600) + ",\"iat\":" + (T + 31) + "}"))).isEqualTo(Reason.ISSUED_IN_FUTURE);
        assertThat(verifier.verify(token(H, "{\"sub\":\"a\",\"exp\":" + (T + 1) + ".5}"))).as("fractional NumericDate").isNotNull();
    }

    @Test
    void aVerifiedTokenIsRememberedButStillExpires() throws Exception {
        var now = new java.util.concurrent.atomic.AtomicLong(NOW.toEpochMilli());
        Clock moving = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return Instant.ofEpochMilli(now.get()); }
        };
        var cached = new JwtVerifier(HmacKey.of(SECRET), null, null, Duration.ofSeconds(30), moving);
        String token = token(H, "{\"sub\":\"a\",\"exp\":" + (T + 60) + "}");
        Principal first = cached.verify(token);
        assertThat(cached.verify(token)).as("second use of the same token").isSameAs(first);
        now.addAndGet(89_000);
        assertThat(cached.verify(token).subject()).as("within exp + leeway").isEqualTo("a");
        now.addAndGet(1_000);
        assertThatThrownBy(() -> cached.verify(token)).isInstanceOfSatisfying(AuthenticationFailed.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
        assertThatThrownBy(() -> cached.verify(token)).as("forgotten, verified again: still expired")
                .isInstanceOfSatisfying(AuthenticationFailed.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "B" : "A") + token.charAt(token.length() - 1);
        now.set(NOW.toEpochMilli());
        cached.verify(token);
        assertThatThrownBy(() -> cached.verify(tampered)).as("a different string is verified, not looked up")
                .isInstanceOf(AuthenticationFailed.class);
    }

    @Test
    void structureAndEncodingAreChecked() throws Exception {
        String good = token(H, "{\"sub\":\"a\",\"exp\":" + (T + 60) + "}");
        String[] p = good.split("\\.");
        assertThat(reason("a".repeat(JwtVerifier.MAX_TOKEN_CHARS + 1))).isEqualTo(Reason.TOO_LARGE);
        assertThat(reason(p[0] + "." + p[1])).isEqualTo(Reason.BAD_SEGMENTS);
        assertThat(reason(good + ".x")).isEqualTo(Reason.BAD_SEGMENTS);
        assertThat(reason(p[0] + "." + p[1] + ".")).isEqualTo(Reason.BAD_SEGMENTS);
        assertThat(reason(p[0] + "=." + p[1] + "." + p[2])).isEqualTo(Reason.BAD_BASE64);
        assertThat(reason(p[0] + "." + p[1] + "." + p[2] + "AA")).isEqualTo(Reason.BAD_BASE64);
        assertThat(reason(token("{\"alg\":\"HS256\",\"alg\":\"HS256\"}", "{\"sub\":\"a\",\"exp\":" + (T + 60) + "}")))
                .isEqualTo(Reason.DUPLICATE_MEMBER);
        assertThat(reason(token(H, "{\"sub\":\"a\",\"exp\":" + (T + 60) + ",\"exp\":" + (T + 60) + "}")))
                .isEqualTo(Reason.DUPLICATE_MEMBER);
        assertThat(reason(token(H, "{\"sub\":\"a\""))).isEqualTo(Reason.BAD_JSON);
    }

    @Test
    void headerRulesAndClaimTypes() throws Exception {
        String claims = "{\"sub\":\"a\",\"exp\":" + (T + 60) + "}";
        assertThat(reason(token("{\"alg\":\"none\"}", claims))).isEqualTo(Reason.ALGORITHM_REFUSED);
        assertThat(reason(token("{\"alg\":\"HS512\"}", claims))).isEqualTo(Reason.ALGORITHM_REFUSED);
        assertThat(reason(token("{\"alg\":\"HS256\",\"jku\":\"http://x\"}", claims))).isEqualTo(Reason.HEADER_REFUSED);
        assertThat(reason(token("{\"alg\":\"HS256\",\"typ\":\"JWE\"}", claims))).isEqualTo(Reason.HEADER_REFUSED);
        assertThat(verifier.verify(token("{\"alg\":\"HS256\",\"kid\":\"../../etc/passwd\"}", claims))).as("kid is ignored").isNotNull();
        assertThat(reason(token(H, "{\"sub\":\"a\",\"exp\":\"" + (T + 60) + "\"}"))).isEqualTo(Reason.BAD_CLAIM_TYPE);
        assertThat(reason(token(H, "{\"sub\":\"a\"}"))).isEqualTo(Reason.MISSING_CLAIM);
        assertThat(reason(token(H, "{\"sub\":7,\"exp\":" + (T + 60) + "}"))).isEqualTo(Reason.BAD_CLAIM_TYPE);
        assertThat(reason(token(H, "{\"sub\":\"a\",\"exp\":" + (T + 60) + ",\"scopes\":\"admin\"}"))).isEqualTo(Reason.BAD_CLAIM_TYPE);
        assertThat(verifier.verify(token(H, "{\"sub\":\"a\",\"exp\":" + (T + 60) + ",\"scopes\":[\"admin\",\"future:scope\"]}"))
                .scopes()).containsExactly(Scope.ADMIN);
    }

    @Test
    void issuerAndAudience() throws Exception {
        JwtVerifier strict = new JwtVerifier(HmacKey.of(SECRET), "iss-1", "aud-1", Duration.ZERO, CLOCK);
        String base = "\"sub\":\"a\",\"exp\":" + (T + 60);
        assertThat(strict.verify(token(H, "{" + base + ",\"iss\":\"iss-1\",\"aud\":\"aud-1\"}"))).isNotNull();
        assertThatThrownBy(() -> strict.verify(token(H, "{" + base + ",\"iss\":\"iss-2\",\"aud\":\"aud-1\"}")))
                .isInstanceOf(AuthenticationFailed.class).extracting("reason").isEqualTo(Reason.WRONG_ISSUER);
        assertThatThrownBy(() -> strict.verify(token(H, "{" + base + ",\"iss\":\"iss-1\",\"aud\":[\"x\"]}")))
                .isInstanceOf(AuthenticationFailed.class).extracting("reason").isEqualTo(Reason.WRONG_AUDIENCE);
    }

    @Test
    void configurationLimits() {
        assertThatThrownBy(() -> HmacKey.of("short")).isInstanceOf(ConfigError.class).hasMessageContaining("at least 32");
        assertThatThrownBy(() -> HmacKey.of(null)).isInstanceOf(ConfigError.class);
        assertThatThrownBy(() -> new JwtVerifier(HmacKey.of(SECRET), null, null, Duration.ofSeconds(61), CLOCK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(HmacKey.of(SECRET).toString()).doesNotContain(SECRET);
    }
}
