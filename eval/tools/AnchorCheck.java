import io.sigil.memory.*;
import io.sigil.memory.eval.*;
import io.sigil.memory.lucene.LuceneMemoryStore;
import io.sigil.memory.retrieval.*;
import com.fasterxml.jackson.databind.*;
import java.nio.file.*;
import java.util.*;

/**
 * Diagnostic: how often an anchor question's anchor resolves, and to the intended turn's day (keyword search only, so no model is
 * loaded). Run from the repository after a build:
 * java -cp "sigil-server/target/sigil-server-0.1.0-SNAPSHOT.jar:sigil-server/target/lib/*" eval/tools/AnchorCheck.java \
 *     eval/memory-weeks/corpus.jsonl eval/memory-weeks/queries-time.jsonl
 */
public class AnchorCheck {
    public static void main(String[] a) throws Exception {
        Path corpus = Path.of(a[0]), queries = Path.of(a[1]);
        EvalSet set = EvalSet.load(corpus, queries);
        Embedder flat = new Embedder() {
            public String model() { return "flat"; }
            public int dimension() { return 4; }
            public List<float[]> embed(List<String> t) { var o = new ArrayList<float[]>(); for (var x : t) o.add(new float[]{1,0,0,0}); return o; }
        };
        Path dir = Files.createTempDirectory("t2diag");
        Map<String, java.time.Instant> when = new HashMap<>();
        for (var d : set.corpus()) when.put(d.id(), d.timestamp());
        try (var store = LuceneMemoryStore.open(dir, flat)) {
            Evaluator.index(store, set, 1);
            ObjectMapper m = new ObjectMapper();
            int n = 0, resolved = 0, rightDay = 0;
            for (String line : Files.readAllLines(queries)) {
                JsonNode j = m.readTree(line);
                if (!"anchor".equals(j.path("category").asText())) continue;
                n++;
                var cue = TemporalCues.parse(j.get("query").asText()).stream().filter(c -> c instanceof TemporalCue.Relative r && r.anchor() == null).findFirst().orElse(null);
                if (cue == null) { System.out.println("NO CUE: " + j.get("query").asText()); continue; }
                var r = (TemporalCue.Relative) cue;
                var filter = new SearchFilter(Scope.parse(j.get("scope").asText()), null);
                var hits = store.keywordSearch(r.anchorText(), filter, EventAnchors.DEPTH);
                var w = EventAnchors.resolve(r, java.time.Instant.parse(j.get("asked_at").asText()), (t, k) -> store.keywordSearch(t, filter, k));
                String want = j.get("anchor_turn").asText();
                if (w != null) {
                    resolved++;
                    var day = (r.before() ? w.to() : w.from().minus(java.time.Duration.ofDays(1))).toString().substring(0, 10);
                    if (day.equals(when.get(want).toString().substring(0, 10))) rightDay++;
                    else System.out.println("WRONG DAY: " + r.anchorText());
                } else System.out.println("UNRESOLVED: " + r.anchorText() + " -> " + (hits.isEmpty() ? "-" : hits.get(0).item().content()));
            }
            System.out.printf("anchor questions %d, resolved %d, to the day of the intended turn (anchor_turn) %d%n", n, resolved, rightDay);
        }
    }
}
