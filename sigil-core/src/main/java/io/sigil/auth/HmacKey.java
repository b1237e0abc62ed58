package io.sigil.auth;

import io.sigil.errors.ConfigError;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/** The HS256 shared secret. At least 32 bytes (RFC 7518 3.2: a key as long as the hash output). */
public final class HmacKey {
    public static final int MIN_BYTES = 32;
    private final SecretKeySpec spec;

    private HmacKey(byte[] secret) {
        this.spec = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** From the configured SIGIL_JWT_SECRET (UTF-8 bytes). */
    public static HmacKey of(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new ConfigError("No JWT secret is configured.", "Set SIGIL_JWT_SECRET to a random string of at least "
                    + MIN_BYTES + " bytes, e.g. the output of 'openssl rand -base64 48'.");
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_BYTES) {
            throw new ConfigError("The JWT secret is " + bytes.length + " bytes; HS256 needs at least " + MIN_BYTES + ".",
                    "Set SIGIL_JWT_SECRET to a longer random string, e.g. the output of 'openssl rand -base64 48'.");
        }
        return new HmacKey(bytes);
    }

    byte[] sign(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(spec);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() { return "HmacKey[****]"; }
}
