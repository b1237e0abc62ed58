package io.sigil.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.sigil.cluster.SessionLeases;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Session leases as Redis keys ({@code SET NX PX} with a random token): renewing and releasing check the token in
 * one script, so a holder whose lease expired can neither extend nor delete the next holder's.
 */
public final class RedisSessionLeases implements SessionLeases {
    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """;
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private final RedisConnections redis;

    public RedisSessionLeases(RedisConnections redis) {
        this.redis = redis;
    }

    @Override
    public Optional<Lease> tryAcquire(String sessionId, Duration ttl) {
        String key = key(sessionId);
        String token = UUID.randomUUID().toString();
        String ok = redis.sync().set(key, token, SetArgs.Builder.nx().px(ttl.toMillis()));
        if (!"OK".equals(ok)) return Optional.empty();
        return Optional.of(new Lease() {
            @Override
            public String sessionId() { return sessionId; }

            @Override
            public boolean renew(Duration again) {
                Long r = redis.sync().eval(RENEW, ScriptOutputType.INTEGER, new String[]{key}, token,
                        Long.toString(again.toMillis()));
                return r != null && r == 1L;
            }

            @Override
            public void close() {
                redis.sync().eval(RELEASE, ScriptOutputType.INTEGER, new String[]{key}, token);
            }
        });
    }

    @Override
    public boolean held(String sessionId) {
        Long n = redis.sync().exists(key(sessionId));
        return n != null && n > 0;
    }

    private String key(String sessionId) { return redis.key("lease:" + sessionId); }
}
