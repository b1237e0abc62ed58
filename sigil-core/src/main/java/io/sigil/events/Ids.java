package io.sigil.events;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random version-4 UUIDs for identifiers that must be unique but need not be secret (event ids, request and
 * correlation ids). {@link UUID#randomUUID()} draws from a shared {@code SecureRandom}, a lock that every run's
 * nine or so ids contended on under load; 122 bits from {@link ThreadLocalRandom} are as unique. Identifiers
 * that grant something (API keys, session ids a client might guess) keep using {@code SecureRandom}.
 */
public final class Ids {
    private Ids() { }

    public static UUID uuid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;                       // version 4
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(msb, lsb);
    }

    public static String string() { return uuid().toString(); }
}
