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
 */
public record Principal(String subject, Set<Scope> scopes, Method method, String keyId, OptionalInt rateLimitPerMinute) {

    public enum Method { JWT, API_KEY }

    public Principal {
        Objects.requireNonNull(subject, "subject");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rateLimitPerMinute, "rateLimitPerMinute");
    }

    /** True when the credential grants {@code scope}, directly or through {@code admin}. */
    public boolean has(Scope scope) {
        return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
    }
}
