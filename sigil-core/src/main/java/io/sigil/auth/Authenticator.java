package io.sigil.auth;

import io.sigil.auth.AuthenticationFailed.Reason;

/**
 * Establishes the {@link Principal} of a request from its two credential headers: {@code Authorization: Bearer
 * <JWT>} or {@code X-API-Key: <key>}; an API key may also come as the bearer token ({@code Bearer sgk_...}, as OpenAI
 * clients send their key). Exactly one must be present; both at once are refused rather than guessing
 * which one was meant. JWTs are refused when the server has no JWT secret.
 */
public final class Authenticator {
    private final JwtVerifier jwt;
    private final ApiKeys apiKeys;

    /** @param jwt null when no JWT secret is configured (bearer tokens are then refused) */
    public Authenticator(JwtVerifier jwt, ApiKeys apiKeys) {
        this.jwt = jwt;
        this.apiKeys = apiKeys;
    }

    public Principal authenticate(String authorization, String apiKey) throws AuthenticationFailed {
        boolean hasBearer = authorization != null && !authorization.isEmpty();
        boolean hasKey = apiKey != null && !apiKey.isEmpty();
        if (hasBearer && hasKey) throw new AuthenticationFailed(Reason.AMBIGUOUS, "both a bearer token and an API key");
        if (hasKey) return apiKeys.authenticate(apiKey);
        if (!hasBearer) throw new AuthenticationFailed(Reason.MISSING, "no credentials");
        if (authorization.length() > 7 + JwtVerifier.MAX_TOKEN_CHARS) {
            throw new AuthenticationFailed(Reason.TOO_LARGE, "authorization header too large");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            // The header's content is never echoed: a token pasted without its scheme must not reach a log.
            throw new AuthenticationFailed(Reason.MALFORMED_HEADER, "authorization header is not 'Bearer <token>'");
        }
        String token = authorization.substring(7).strip();
        // An API key sent as a bearer token, as OpenAI clients send their key; a JWT never starts with the prefix.
        if (token.startsWith(ApiKeys.PREFIX)) return apiKeys.authenticate(token);
        if (jwt == null) throw new AuthenticationFailed(Reason.JWT_DISABLED, "no JWT secret configured");
        return jwt.verify(token);
    }
}
