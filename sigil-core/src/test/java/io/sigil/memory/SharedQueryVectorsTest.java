package io.sigil.memory;

import io.sigil.cluster.SharedCache;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class SharedQueryVectorsTest {

    /** One map standing for Redis, seen by every "replica" built on it. */
    private static final class MapCache implements SharedCache {
        final Map<String, String> entries = new ConcurrentHashMap<>();
        final List<Duration> ttls = new ArrayList<>();

        @Override public Optional<String> get(String key) { return Optional.ofNullable(entries.get(key)); }

        @Override
        public synchronized void put(String key, String value, Duration ttl) {
            entries.put(key, value);
            ttls.add(ttl);
        }

        @Override public void remove(String key) { entries.remove(key); }
    }

    /** Counts the queries it embeds; symmetric or not. */
    private static final class Counting implements Embedder {
        final List<String> embedded = new ArrayList<>();
        final boolean asymmetric;

        Counting(boolean asymmetric) { this.asymmetric = asymmetric; }

        @Override public String model() { return "counting-" + asymmetric; }
        @Override public int dimension() { return 3; }
        @Override public boolean asymmetric() { return asymmetric; }

        @Override
        public synchronized List<float[]> embed(List<String> texts) {
            embedded.addAll(texts);
            return texts.stream().map(t -> new float[] {t.length(), 0.25f, -1.5f}).toList();
        }

        @Override
        public synchronized float[] embedQuery(String query) {
            embedded.add("query: " + query);
            return new float[] {query.length(), 0.5f, Float.MIN_VALUE};
        }
    }

    private static CachingEmbedder replica(Embedder model, SharedCache cache) {
        return new CachingEmbedder(() -> model, 8, new SharedQueryVectors(cache, Duration.ofMinutes(5)));
    }

    @Test
    void aQueryEmbeddedOnOneReplicaIsNotEmbeddedAgainOnAnother() {
        var cache = new MapCache();
        var modelA = new Counting(true);
        var modelB = new Counting(true);
        float[] onA = replica(modelA, cache).embedQuery("budget of Acme?");
        float[] onB = replica(modelB, cache).embedQuery("budget of Acme?");

        assertThat(onB).containsExactly(onA);
        assertThat(modelA.embedded).containsExactly("query: budget of Acme?");
        assertThat(modelB.embedded).as("B took A's vector from the shared cache").isEmpty();
        assertThat(cache.ttls).containsExactly(Duration.ofMinutes(5));
        assertThat(cache.entries.keySet()).singleElement().asString()
                .startsWith("qv:counting-true:query:").doesNotContain("Acme");
    }

    @Test
    void symmetricModelsShareTheirQueriesAsTextsAndKindsNeverMix() {
        var cache = new MapCache();
        var symmetric = new Counting(false);
        replica(symmetric, cache).embedQuery("hello");
        assertThat(cache.entries.keySet()).singleElement().asString().startsWith("qv:counting-false:text:");
        var other = new Counting(false);
        assertThat(replica(other, cache).embedQuery("hello")).containsExactly(5f, 0.25f, -1.5f);
        assertThat(other.embedded).isEmpty();
        assertThat(SharedQueryVectors.key("m", SharedQueryVectors.Kind.QUERY, "x"))
                .isNotEqualTo(SharedQueryVectors.key("m", SharedQueryVectors.Kind.TEXT, "x"));
    }

    @Test
    void theLocalCacheAnswersBeforeTheSharedOneAndAGarbledEntryIsAMiss() {
        var cache = new MapCache();
        var model = new Counting(true);
        var a = replica(model, cache);
        a.embedQuery("q");
        cache.entries.clear();
        a.embedQuery("q");
        assertThat(model.embedded).as("second lookup served in-process").hasSize(1);

        cache.entries.put(SharedQueryVectors.key(model.model(), SharedQueryVectors.Kind.QUERY, "r"), "not base64 ***");
        var fresh = new Counting(true);
        assertThat(replica(fresh, cache).embedQuery("r")).containsExactly(1f, 0.5f, Float.MIN_VALUE);
        assertThat(fresh.embedded).containsExactly("query: r");
    }

    @Test
    void vectorsSurviveTheEncodingBitForBit() {
        float[] v = {0f, -0f, 1e-38f, -3.4e38f, Float.NaN, 0.123456789f};
        String encoded = SharedQueryVectors.encode(v);
        assertThat(encoded).hasSize(32); // 24 bytes in Base64
        assertThat(SharedQueryVectors.decode(encoded)).hasValueSatisfying(d -> {
            for (int i = 0; i < v.length; i++) assertThat(Float.floatToRawIntBits(d[i])).isEqualTo(Float.floatToRawIntBits(v[i]));
        });
        assertThat(SharedQueryVectors.decode("")).isEmpty();
        assertThat(SharedQueryVectors.decode("AAA=")).as("not a whole float").isEmpty();
    }

    @Test
    void withoutASharedCacheNothingIsHashedOrStored() {
        var model = new Counting(true);
        var alone = new CachingEmbedder(() -> model, 8);
        alone.embedQuery("x");
        assertThat(SharedQueryVectors.NONE.enabled()).isFalse();
        assertThat(SharedQueryVectors.NONE.get(model.model(), SharedQueryVectors.Kind.QUERY, "x")).isEmpty();
    }
}
