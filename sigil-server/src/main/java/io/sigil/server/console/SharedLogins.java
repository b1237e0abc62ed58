package io.sigil.server.console;

import io.sigil.cluster.SharedCache;
import io.sigil.server.console.ConsoleLogins.Login;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Console logins in the {@link SharedCache} (Redis), so a login made through one replica is valid on every other
 * and a logout on one ends it everywhere. Redis never holds a usable secret: an entry's key is the SHA-256 of the
 * cookie value, and its value is the login sealed (AES-256-GCM) under a key derived from the cookie value, which
 * only the browser has. The entry's TTL is the login's remaining lifetime, renewed on each use.
 */
final class SharedLogins {
    private static final int NONCE = 12;
    private final SharedCache cache;
    private final SecureRandom random = new SecureRandom();

    SharedLogins(SharedCache cache) {
        this.cache = cache;
    }

    void put(Login login, Duration ttl) {
        cache.put(key(login.id()), seal(login), ttl);
    }

    Optional<Login> get(String id) {
        return cache.get(key(id)).flatMap(sealed -> open(id, sealed));
    }

    void remove(String id) {
        cache.remove(key(id));
    }

    private static String key(String id) {
        return "console-login:" + HexFormat.of().formatHex(digest("sigil console login id\0" + id));
    }

    private String seal(Login l) {
        String plain = String.join("\n", l.kind().name(), l.csrf(), Long.toString(l.created().toEpochMilli()),
                Long.toString(l.lastUsed().toEpochMilli()), l.credential());
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, l.id(), nonce);
            byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** The login, or empty when the entry does not open with this cookie (tampered, or not ours). */
    private static Optional<Login> open(String id, String sealed) {
        try {
            byte[] all = Base64.getDecoder().decode(sealed);
            if (all.length <= NONCE) return Optional.empty();
            byte[] nonce = java.util.Arrays.copyOf(all, NONCE);
            Cipher c = cipher(Cipher.DECRYPT_MODE, id, nonce);
            String[] f = new String(c.doFinal(all, NONCE, all.length - NONCE), StandardCharsets.UTF_8).split("\n", 5);
            return Optional.of(new Login(id, Login.Kind.valueOf(f[0]), f[4], f[1],
                    Instant.ofEpochMilli(Long.parseLong(f[2])), Instant.ofEpochMilli(Long.parseLong(f[3]))));
        } catch (GeneralSecurityException | IllegalArgumentException | ArrayIndexOutOfBoundsException notOurs) {
            return Optional.empty();
        }
    }

    private static Cipher cipher(int mode, String id, byte[] nonce) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(digest("sigil console login key\0" + id), "AES"), new GCMParameterSpec(128, nonce));
        return c;
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
