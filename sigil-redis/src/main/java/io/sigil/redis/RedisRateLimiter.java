package io.sigil.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.sigil.ratelimit.RateLimiter;

import java.util.List;

/**
 * Token buckets in Redis, shared by every replica: one Lua script per check reads, refills, takes and writes the
 * bucket atomically, on Redis's own clock (replicas' clocks may differ). Same contract as the in-process
 * {@link io.sigil.ratelimit.TokenBucketRateLimiter}: {@code limit} requests of burst, refilled at {@code limit}
 * per minute. A bucket expires once it would be full again, so idle keys cost no memory.
 */
public final class RedisRateLimiter implements RateLimiter {
    static final String SCRIPT = """
            local limit = tonumber(ARGV[1])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local per_micro = limit / 60000000
            local h = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
            local tokens = tonumber(h[1])
            local ts = tonumber(h[2])
            if tokens == nil or ts == nil then tokens = limit; ts = now end
            tokens = math.min(limit, tokens + math.max(0, now - ts) * per_micro)
            local allowed = 0
            if tokens >= 1 then tokens = tokens - 1; allowed = 1 end
            redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', string.format('%d', now))
            local full_in_micros = (limit - tokens) / per_micro
            redis.call('PEXPIRE', KEYS[1], math.ceil(full_in_micros / 1000) + 1000)
            local retry = 0
            if allowed == 0 then retry = math.max(1, math.ceil((1 - tokens) / per_micro / 1000000)) end
            return {allowed, math.floor(tokens), math.ceil(full_in_micros / 1000000), retry}
            """;

    private final RedisConnections redis;
    private volatile String sha;

    public RedisRateLimiter(RedisConnections redis) {
        this.redis = redis;
    }

    @Override
    public Decision acquire(String key, int limitPerMinute) {
        if (limitPerMinute < 1) throw new IllegalArgumentException("limitPerMinute must be at least 1");
        List<Long> r = run(redis.key("rl:" + key), Integer.toString(limitPerMinute));
        return new Decision(r.get(0) == 1L, limitPerMinute, r.get(1).intValue(), r.get(2), r.get(3));
    }

    /** EVALSHA, loading the script on first use and again after a Redis restart emptied its script cache. */
    private List<Long> run(String key, String limit) {
        var sync = redis.sync();
        String[] keys = {key};
        String known = sha;
        if (known != null) {
            try {
                return sync.evalsha(known, ScriptOutputType.MULTI, keys, limit);
            } catch (RedisNoScriptException reloaded) {
                // fall through: load it again
            }
        }
        sha = sync.scriptLoad(SCRIPT);
        return sync.evalsha(sha, ScriptOutputType.MULTI, keys, limit);
    }
}
