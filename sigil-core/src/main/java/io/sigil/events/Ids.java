package io.sigil.events;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * UUIDs for identifiers that must be unique but need not be secret: random version-4 ones (request and correlation
 * ids) and time-ordered version-7 ones ({@link #timeOrdered()}, event ids). {@link UUID#randomUUID()} draws from a
 * shared {@code SecureRandom}, a lock that every run's nine or so ids contended on under load; 122 bits from
 * {@link ThreadLocalRandom} are as unique. Identifiers that grant something (API keys, session ids a client might
 * guess) keep using {@code SecureRandom}.
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

    /**
     * A version-7 UUID (RFC 9562): the Unix time in milliseconds in the first 48 bits, then 74 random bits. Event
     * ids are made this way so that ids created close in time sort close together: a database's unique index on
     * them then takes each group of new events at its right edge instead of on as many random pages (fewer pages
     * read and dirtied, fewer full-page images in the write-ahead log). Still unique by its random bits; the
     * time it reveals is the event's own timestamp.
     */
    public static UUID timeOrdered() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (System.currentTimeMillis() << 16) | 0x7000L | (r.nextInt() & 0x0FFFL); // version 7, 12 random bits
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;              // IETF variant, 62 random bits
        return new UUID(msb, lsb);
    }
}
