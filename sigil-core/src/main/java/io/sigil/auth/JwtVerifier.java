package io.sigil.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.auth.AuthenticationFailed.Reason;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Verifies compact JWS tokens signed with HMAC-SHA256 and one shared secret, and nothing else.
 *
 * <p>Written here rather than delegated to a JWT library because every step must be exact and checkable: the size
 * is bounded before any decoding; exactly three segments of canonical unpadded base64url; both JSON segments parsed
 * with duplicate members refused; {@code alg} must be the literal {@code HS256} (no {@code none}, no other HMAC
 * sizes, no public-key algorithms that could be fed the secret as a "public key"); headers that point at keys
 * ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}, {@code x5t}) and {@code crit} are refused; {@code kid} is
 * ignored because there is exactly one key; the MAC is compared in constant time before the payload is read; then
 * {@code exp} (required, numeric), {@code nbf} and {@code iat} with a leeway of at most 60 s, {@code iss} and
 * {@code aud} when configured, and {@code sub} (required).
 */
public final class JwtVerifier {
    /** Larger tokens are refused before they are decoded. */
    public static final int MAX_TOKEN_CHARS = 8 * 1024;
    public static final Duration MAX_LEEWAY = Duration.ofSeconds(60);
    static final String ALGORITHM = "HS256";
    private static final List<String> KEY_REFERENCE_HEADERS = List.of("jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256", "crit");

    private final HmacKey key;
    private final String issuer;
    private final String audience;
    private final long leewaySeconds;
    private final Clock clock;
    private final VerifiedTokens verified = new VerifiedTokens(4096, 2048);

    /**
     * @param key      the shared secret
     * @param issuer   required {@code iss}, or null to accept any
     * @param audience required {@code aud} (string or member of an array), or null to accept any
     * @param leeway   clock skew tolerated for {@code exp}, {@code nbf} and {@code iat}; 0 to 60 s
     */
    public JwtVerifier(HmacKey key, String issuer, String audience, Duration leeway, Clock clock) {
        this.key = Objects.requireNonNull(key, "key");
        this.issuer = blankToNull(issuer);
        this.audience = blankToNull(audience);
        if (leeway.isNegative() || leeway.compareTo(MAX_LEEWAY) > 0) {
            throw new IllegalArgumentException("JWT leeway must be between 0 and 60 s, got " + leeway);
        }
        this.leewaySeconds = leeway.toSeconds();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Principal verify(String token) throws AuthenticationFailed {
        if (token == null || token.isEmpty()) throw new AuthenticationFailed(Reason.MISSING, "no token");
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new AuthenticationFailed(Reason.TOO_LARGE, "token longer than " + MAX_TOKEN_CHARS + " characters");
        }
        VerifiedTokens.Entry known = verified.get(token);
        if (known != null) {
            if (clock.millis() / 1000.0 - leewaySeconds < known.expiresAtSeconds()) return known.principal();
            verified.forget(token);
            throw new AuthenticationFailed(Reason.EXPIRED, "token expired");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw new AuthenticationFailed(Reason.BAD_SEGMENTS, "a JWS has exactly three dot-separated segments");
        }
        String headerPart = token.substring(0, first);
        String payloadPart = token.substring(first + 1, second);
        String signaturePart = token.substring(second + 1);
        byte[] headerBytes = decode(headerPart, "header");
        byte[] payloadBytes = decode(payloadPart, "payload");
        byte[] signature = decode(signaturePart, "signature");

        checkHeader(StrictJson.object(headerBytes, "header"));
        byte[] expected = key.sign(token.substring(0, second).getBytes(StandardCharsets.US_ASCII));
        if (!MessageDigest.isEqual(expected, signature)) {
            throw new AuthenticationFailed(Reason.BAD_SIGNATURE, "signature does not match");
        }
        ObjectNode claims = StrictJson.object(payloadBytes, "payload");
        Principal principal = principalFrom(claims);
        verified.put(token, new VerifiedTokens.Entry(principal, numericDate(claims, "exp", true)));
        return principal;
    }

    private static void checkHeader(ObjectNode header) throws AuthenticationFailed {
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual() || !ALGORITHM.equals(alg.textValue())) {
            throw new AuthenticationFailed(Reason.ALGORITHM_REFUSED, "only alg HS256 is accepted");
        }
        for (String name : KEY_REFERENCE_HEADERS) {
            if (header.has(name)) throw new AuthenticationFailed(Reason.HEADER_REFUSED, "header '" + name + "' is not accepted");
        }
        JsonNode typ = header.get("typ");
        if (typ != null && !(typ.isTextual() && "JWT".equalsIgnoreCase(typ.textValue()))) {
            throw new AuthenticationFailed(Reason.HEADER_REFUSED, "typ must be JWT");
        }
    }

    private Principal principalFrom(ObjectNode claims) throws AuthenticationFailed {
        double now = clock.millis() / 1000.0;
        double exp = numericDate(claims, "exp", true);
        if (now - leewaySeconds >= exp) throw new AuthenticationFailed(Reason.EXPIRED, "token expired");
        double nbf = numericDate(claims, "nbf", false);
        if (!Double.isNaN(nbf) && nbf > now + leewaySeconds) {
            throw new AuthenticationFailed(Reason.NOT_YET_VALID, "token not valid yet (nbf)");
        }
        double iat = numericDate(claims, "iat", false);
        if (!Double.isNaN(iat) && iat > now + leewaySeconds) {
            throw new AuthenticationFailed(Reason.ISSUED_IN_FUTURE, "token issued in the future (iat)");
        }
        if (issuer != null) {
            JsonNode iss = claims.get("iss");
            if (iss == null || !iss.isTextual() || !issuer.equals(iss.textValue())) {
                throw new AuthenticationFailed(Reason.WRONG_ISSUER, "issuer does not match");
            }
        }
        if (audience != null && !audienceMatches(claims.get("aud"))) {
            throw new AuthenticationFailed(Reason.WRONG_AUDIENCE, "audience does not match");
        }
        JsonNode sub = claims.get("sub");
        if (sub == null) throw new AuthenticationFailed(Reason.MISSING_CLAIM, "claim 'sub' is required");
        if (!sub.isTextual() || sub.textValue().isBlank()) {
            throw new AuthenticationFailed(Reason.BAD_CLAIM_TYPE, "claim 'sub' must be a non-empty string");
        }
        return new Principal(sub.textValue(), scopes(claims), Principal.Method.JWT, null, OptionalInt.empty(),
                java.time.Instant.ofEpochMilli((long) Math.floor(exp * 1000)));
    }

    /** NaN when an optional claim is absent. */
    private static double numericDate(ObjectNode claims, String name, boolean required) throws AuthenticationFailed {
        JsonNode node = claims.get(name);
        if (node == null) {
            if (required) throw new AuthenticationFailed(Reason.MISSING_CLAIM, "claim '" + name + "' is required");
            return Double.NaN;
        }
        if (!node.isNumber()) {
            throw new AuthenticationFailed(Reason.BAD_CLAIM_TYPE, "claim '" + name + "' must be a number of seconds");
        }
        return node.asDouble();
    }

    private boolean audienceMatches(JsonNode aud) {
        if (aud == null) return false;
        if (aud.isTextual()) return audience.equals(aud.textValue());
        if (aud.isArray()) {
            for (JsonNode member : aud) if (member.isTextual() && audience.equals(member.textValue())) return true;
        }
        return false;
    }

    /** {@code scopes} (array, as the deployment guide mints them) or {@code scope} (space-separated, RFC 8693). */
    private static Set<Scope> scopes(ObjectNode claims) throws AuthenticationFailed {
        Set<Scope> scopes = new LinkedHashSet<>();
        JsonNode array = claims.get("scopes");
        if (array != null) {
            if (!array.isArray()) throw new AuthenticationFailed(Reason.BAD_CLAIM_TYPE, "claim 'scopes' must be an array");
            for (JsonNode s : array) {
                if (!s.isTextual()) throw new AuthenticationFailed(Reason.BAD_CLAIM_TYPE, "claim 'scopes' must hold strings");
                Scope.fromWire(s.textValue()).ifPresent(scopes::add);
            }
        }
        JsonNode spaced = claims.get("scope");
        if (spaced != null) {
            if (!spaced.isTextual()) throw new AuthenticationFailed(Reason.BAD_CLAIM_TYPE, "claim 'scope' must be a string");
            for (String s : spaced.textValue().split(" ")) Scope.fromWire(s).ifPresent(scopes::add);
        }
        return scopes;
    }

    /** Canonical unpadded base64url only: re-encoding must give the same text back. */
    static byte[] decode(String segment, String what) throws AuthenticationFailed {
        if (segment.isEmpty()) throw new AuthenticationFailed(Reason.BAD_SEGMENTS, what + " segment is empty");
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) throw new AuthenticationFailed(Reason.BAD_BASE64, what + " segment is not unpadded base64url");
        }
        if (segment.length() % 4 == 1) throw new AuthenticationFailed(Reason.BAD_BASE64, what + " segment has an impossible length");
        byte[] bytes = Base64.getUrlDecoder().decode(segment);
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(segment)) {
            throw new AuthenticationFailed(Reason.BAD_BASE64, what + " segment is not canonical base64url");
        }
        return bytes;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
