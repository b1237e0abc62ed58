package io.sigil.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens that passed verification, so a client that sends the same JWT on every request pays the HMAC and the
 * two JSON parses once. The key is the whole token string: a hit means this exact byte sequence was verified
 * before, so no claim can differ. Only {@code exp} can turn a verified token invalid (time moves forward, so
 * {@code nbf} and {@code iat} stay satisfied); the caller re-checks it on every hit.
 *
 * <p>Bounded in entries and in token length, so a flood of distinct valid tokens costs at most
 * {@code maxEntries x maxTokenChars} characters; when full it starts over (cheap, and correct: a miss only
 * means verifying again).
 */
final class VerifiedTokens {
    record Entry(Principal principal, double expiresAtSeconds) { }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final int maxTokenChars;

    VerifiedTokens(int maxEntries, int maxTokenChars) {
        this.maxEntries = maxEntries;
        this.maxTokenChars = maxTokenChars;
    }

    Entry get(String token) {
        return token.length() > maxTokenChars ? null : entries.get(token);
    }

    void put(String token, Entry entry) {
        if (token.length() > maxTokenChars) return;
        if (entries.size() >= maxEntries) entries.clear();
        entries.put(token, entry);
    }

    void forget(String token) { entries.remove(token); }
}
