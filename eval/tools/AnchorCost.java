import io.sigil.memory.*;
import io.sigil.memory.eval.*;
import io.sigil.memory.lucene.LuceneMemoryStore;
import io.sigil.memory.retrieval.*;
import com.fasterxml.jackson.databind.*;
import java.nio.file.*;
import java.time.Instant;
import java.util.*;

/**
 * Cost of resolving event anchors: TemporalBoost.focus with anchors off and on, interleaved in 7 rounds, over the
 * questions of a file (parse + one keyword search of depth EventAnchors.DEPTH + the match, per anchor question).
 * Keyword search only (a constant embedder), so no model is loaded. Run from the repository after a build:
 * grep '"category":"anchor"' eval/memory-weeks/queries-time.jsonl > /tmp/anchor.jsonl
 * java -cp "sigil-server/target/sigil-server-0.1.0-SNAPSHOT.jar:sigil-server/target/lib/*" eval/tools/AnchorCost.java \
 *     eval/memory-weeks/corpus.jsonl /tmp/anchor.jsonl
 */
public class AnchorCost {
    public static void main(String[] a) throws Exception {
        EvalSet set = EvalSet.load(Path.of(a[0]), Path.of(a[1]));
        Embedder flat = new Embedder() {
            public String model() { return "flat"; }
            public int dimension() { return 4; }
            public List<float[]> embed(List<String> t) { var o = new ArrayList<float[]>(); for (var x : t) o.add(new float[]{1,0,0,0}); return o; }
        };
        Path dir = Files.createTempDirectory("t2cost");
        try (var store = LuceneMemoryStore.open(dir, flat)) {
            Evaluator.index(store, set, 1);
            var qs = set.queries();
            TemporalBoost on = new TemporalBoost(0.3, true), off = new TemporalBoost(0.3, false);
            int reps = 50;
            for (int round = 0; round < 7; round++) {
                for (TemporalBoost b : List.of(off, on)) {
                    long start = System.nanoTime();
                    int resolved = 0;
                    for (int r = 0; r < reps; r++) {
                        for (var q : qs) {
                            var filter = new SearchFilter(q.scope(), null);
                            var f = b.focus(q.query(), q.askedAt(), (t, k) -> store.keywordSearch(t, filter, k));
                            if (f.window() != null) resolved++;
                        }
                    }
                    double us = (System.nanoTime() - start) / 1e3 / (reps * qs.size());
                    System.out.printf(Locale.ROOT, "round %d anchors %-5s %7.1f us a question (%d of %d resolved)%n", round + 1, b.anchors(), us, resolved / reps, qs.size());
                }
            }
        }
    }
}
