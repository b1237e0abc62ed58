package io.sigil.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;

/** Mints HS256 tokens in the shape {@link JwtVerifier} accepts (used by {@code sigil token create}). */
public final class JwtSigner {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final HmacKey key;
    private final Clock clock;

    public JwtSigner(HmacKey key, Clock clock) {
        this.key = Objects.requireNonNull(key, "key");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param issuer   {@code iss}, or null to leave it out
     * @param audience {@code aud}, or null to leave it out
     */
    public String mint(String subject, Set<Scope> scopes, Duration ttl, String issuer, String audience) {
        if (subject == null || subject.isBlank()) throw new IllegalArgumentException("subject must not be blank");
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("ttl must be positive");
        long now = clock.instant().getEpochSecond();
        ObjectNode header = MAPPER.createObjectNode().put("alg", JwtVerifier.ALGORITHM).put("typ", "JWT");
        ObjectNode claims = MAPPER.createObjectNode().put("sub", subject);
        var array = claims.putArray("scopes");
        Scope.wireNames(scopes).forEach(array::add);
        claims.put("iat", now).put("nbf", now).put("exp", now + ttl.toSeconds());
        if (issuer != null && !issuer.isBlank()) claims.put("iss", issuer);
        if (audience != null && !audience.isBlank()) claims.put("aud", audience);
        String signingInput = B64.encodeToString(json(header)) + "." + B64.encodeToString(json(claims));
        return signingInput + "." + B64.encodeToString(key.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] json(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
