package io.sigil.auth;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Who made a request, as established by a verified credential.
 *
 * @param subject            the JWT {@code sub}, or the API key's name
 * @param scopes             what the credential grants
 * @param method             how it was established
 * @param keyId              the API key's id (null for JWTs); rate limits are kept per key
 * @param rateLimitPerMinute the key's own request budget, empty when the server default applies
 * @param expiresAt          when the credential stops being valid (JWT {@code exp}, key expiry); null for never.
 *                           Long-lived connections (WebSocket) are closed when it passes.
 */
public record Principal(String subject, Set<Scope> scopes, Method method, String keyId, OptionalInt rateLimitPerMinute,
                        java.time.Instant expiresAt) {

    public enum Method { JWT, API_KEY }

    public Principal {
        Objects.requireNonNull(subject, "subject");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rateLimitPerMinute, "rateLimitPerMinute");
    }

    /** A credential without a known expiry. */
    public Principal(String subject, Set<Scope> scopes, Method method, String keyId, OptionalInt rateLimitPerMinute) {
        this(subject, scopes, method, keyId, rateLimitPerMinute, null);
    }

    /** True when the credential grants {@code scope}, directly or through {@code admin}. */
    public boolean has(Scope scope) {
        return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
    }
}
