package io.sigil.memory;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CachingEmbedderTest {

    /** Counts calls and texts; the vector of a text is its length and first letter. */
    private static final class Counting implements Embedder {
        final List<List<String>> calls = new ArrayList<>();

        @Override public String model() { return "counting"; }
        @Override public int dimension() { return 2; }

        @Override
        public synchronized List<float[]> embed(List<String> texts) {
            calls.add(List.copyOf(texts));
            return texts.stream().map(t -> new float[] {t.length(), t.isEmpty() ? 0 : t.charAt(0)}).toList();
        }
    }

    @Test
    void aTextScreenedByTheGuardAndThenRecalledByMemoryIsEmbeddedOnce() {
        var real = new Counting();
        var shared = CachingEmbedder.of(real);
        float[] forGuard = shared.embed("what is Acme's budget?");
        List<float[]> forMemory = shared.embed(List.of("what is Acme's budget?", "another chunk"));
        assertThat(forMemory.getFirst()).containsExactly(forGuard);
        assertThat(real.calls).containsExactly(List.of("what is Acme's budget?"), List.of("another chunk"));
    }

    /** Like {@link Counting}, but queries get a prefix, as e5 does. */
    private static final class Asymmetric implements Embedder {
        final Counting inner = new Counting();
        @Override public String model() { return "asymmetric"; }
        @Override public int dimension() { return 2; }
        @Override public List<float[]> embed(List<String> texts) { return inner.embed(texts); }
        @Override public float[] embedQuery(String q) { return inner.embed("query: " + q); }
        @Override public boolean asymmetric() { return true; }
    }

    @Test
    void aSymmetricModelServesTheGuardAndTheQueryWithOneVector() {
        var real = new Counting();
        var shared = CachingEmbedder.of(real);
        float[] forGuard = shared.embed("what is Acme's budget?");
        assertThat(shared.embedQuery("what is Acme's budget?")).containsExactly(forGuard);
        assertThat(real.calls).hasSize(1);
    }

    @Test
    void anAsymmetricModelEmbedsAQueryAsAQueryAndCachesItApart() {
        var real = new Asymmetric();
        var shared = CachingEmbedder.of(real);
        float[] asItem = shared.embed("budget?");
        float[] asQuery = shared.embedQuery("budget?");
        assertThat(asQuery).isNotEqualTo(asItem).containsExactly(7 + 7, 'q');
        assertThat(shared.embedQuery("budget?")).containsExactly(asQuery);
        assertThat(shared.asymmetric()).isTrue();
        assertThat(real.inner.calls).containsExactly(List.of("budget?"), List.of("query: budget?"));
    }

    @Test
    void aBackgroundLoadIsTheOnlyLoadAndAFailedOneIsReportedByTheFirstUse() throws Exception {
        var loads = new AtomicInteger();
        var gate = new java.util.concurrent.CountDownLatch(1);
        var shared = new CachingEmbedder(() -> {
            loads.incrementAndGet();
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return new Counting();
        }, 8);
        shared.loadInBackground();
        while (loads.get() == 0) Thread.sleep(1); // the background load has begun and holds the embedder
        var user = Thread.ofVirtual().start(() -> shared.embed("a")); // waits for that load, does not start another
        gate.countDown();
        user.join();
        shared.loadInBackground(); // loaded: nothing more to do
        assertThat(shared.loaded()).isTrue();
        assertThat(loads).hasValue(1);

        var attempts = new AtomicInteger();
        var failing = new CachingEmbedder(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("model file missing");
        }, 8);
        failing.loadInBackground();
        while (attempts.get() == 0) Thread.sleep(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> failing.embed("a"))
                .isInstanceOf(IllegalStateException.class).hasMessage("model file missing");
        assertThat(failing.loaded()).isFalse();
    }

    @Test
    void loadsTheModelOnFirstUseOnly() {
        var loads = new AtomicInteger();
        var shared = new CachingEmbedder(() -> { loads.incrementAndGet(); return new Counting(); }, 8);
        assertThat(shared.loaded()).isFalse();
        assertThat(loads).hasValue(0);
        shared.embed("a");
        shared.embed("b");
        assertThat(shared.model()).isEqualTo("counting");
        assertThat(loads).hasValue(1);
        assertThat(shared.loaded()).isTrue();
    }

    @Test
    void duplicatesInOneBatchAreEmbeddedOnceAndOrderIsKept() {
        var real = new Counting();
        var shared = CachingEmbedder.of(real);
        List<float[]> out = shared.embed(List.of("xy", "abc", "xy"));
        assertThat(real.calls).containsExactly(List.of("xy", "abc"));
        assertThat(out.get(0)[0]).isEqualTo(2f);
        assertThat(out.get(1)[0]).isEqualTo(3f);
        assertThat(out.get(2)).containsExactly(out.get(0));
    }

    @Test
    void forgetsTheLeastRecentlyUsedTextBeyondItsCapacity() {
        var real = new Counting();
        var shared = new CachingEmbedder(() -> real, 2);
        shared.embed("one");
        shared.embed("two");
        shared.embed("one");   // hit: "two" is now the eldest
        shared.embed("three"); // evicts "two"
        shared.embed("one");   // still cached
        shared.embed("two");   // embedded again
        assertThat(real.calls).containsExactly(List.of("one"), List.of("two"), List.of("three"), List.of("two"));
    }

    @Test
    void callersMayScaleTheirVectorsWithoutChangingTheCache() {
        var shared = CachingEmbedder.of(new Counting());
        float[] first = shared.embed("hello");
        first[0] = 99;
        assertThat(shared.embed("hello")[0]).isEqualTo(5f);
    }
}
