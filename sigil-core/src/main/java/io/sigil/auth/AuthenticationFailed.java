package io.sigil.auth;

/**
 * A credential was missing, malformed, forged, expired or revoked. The {@link Reason} is for logs and tests only:
 * callers answer every failure with the same response, so an attacker learns nothing from which check failed.
 * Messages never contain the credential itself.
 */
public final class AuthenticationFailed extends Exception {

    public enum Reason {
        MISSING, AMBIGUOUS, MALFORMED_HEADER, TOO_LARGE, BAD_SEGMENTS, BAD_BASE64, BAD_JSON, DUPLICATE_MEMBER,
        ALGORITHM_REFUSED, HEADER_REFUSED, BAD_SIGNATURE, MISSING_CLAIM, BAD_CLAIM_TYPE, EXPIRED, NOT_YET_VALID,
        ISSUED_IN_FUTURE, WRONG_ISSUER, WRONG_AUDIENCE, JWT_DISABLED, UNKNOWN_KEY, KEY_EXPIRED, KEY_REVOKED
    }

    private final Reason reason;

    public AuthenticationFailed(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() { return reason; }
}
