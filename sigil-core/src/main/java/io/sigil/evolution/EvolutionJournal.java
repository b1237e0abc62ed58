package io.sigil.evolution;

import io.sigil.errors.EvolutionError;
import io.sigil.events.EventType;
import io.sigil.events.RecordedEvent;
import io.sigil.sessions.SessionManager;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The payloads of {@code evolution.generation} events and how a resumed optimisation reads its progress back from
 * its session: the options, split and prompt of {@code evolution.started}, the beam and every prompt tried of the
 * generations, and the cost so far.
 */
final class EvolutionJournal {
    private EvolutionJournal() { }

    static Map<String, Object> generation(int g, List<BeamEntry> beam, List<BeamEntry> evaluated, Cost.Report cost) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("generation", g);
        p.put("best_train_score", Evaluation.round(beam.getFirst().train().score()));
        p.put("beam", beam.stream().map(BeamEntry::toMap).toList());
        List<Map<String, Object>> tried = new ArrayList<>();
        for (BeamEntry e : evaluated) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("prompt", e.candidate().prompt());
            m.put("origin", e.candidate().origin());
            m.put("train_score", Evaluation.round(e.train().score()));
            m.put("train_pass_rate", Evaluation.round(e.train().passRate()));
            m.put("drift", Evaluation.round(e.drift()));
            tried.add(m);
        }
        p.put("candidates", tried);
        p.put("cost", cost.toMap());
        return p;
    }

    /** What an unfinished optimisation recorded. {@code progress} is null when it ended before generation 0. */
    record Recorded(String agent, String prompt, List<String> train, List<String> heldOut, OptimizeOptions options,
                    Optimizer.Progress progress, Cost.Report cost) { }

    static Recorded read(SessionManager sessions, String id) {
        List<RecordedEvent> events = sessions.events(id, null);
        Map<String, Object> started = null;
        Map<String, Object> last = null;
        BeamEntry baseline = null;
        Set<String> seen = new HashSet<>();
        Cost.Report cost = Cost.Report.ZERO;
        for (RecordedEvent e : events) {
            Map<String, Object> p = e.event().payload();
            if (e.eventType().equals(EventType.EVOLUTION_STARTED.wireName())) started = p;
            else if (e.eventType().equals(EventType.EVOLUTION_GENERATION.wireName())) {
                last = p;
                List<?> beam = (List<?>) p.get("beam");
                if (((Number) p.get("generation")).intValue() == 0) baseline = BeamEntry.fromMap((Map<?, ?>) beam.getFirst());
                for (Object b : beam) seen.add((String) ((Map<?, ?>) b).get("prompt"));
                for (Object c : (List<?>) p.get("candidates")) seen.add((String) ((Map<?, ?>) c).get("prompt"));
                cost = Cost.Report.fromMap((Map<?, ?>) p.get("cost"));
            } else if (e.eventType().equals(EventType.EVOLUTION_COMPLETED.wireName()) && !"failed".equals(p.get("status"))) {
                throw new EvolutionError("Optimisation " + id + " already ended: " + p.get("status"),
                        "Start a new one: sigil evolve optimize <agent>");
            } else if (e.eventType().equals(EventType.EVOLUTION_COMPLETED.wireName())) {
                cost = Cost.Report.fromMap((Map<?, ?>) p.get("cost"));
            }
        }
        if (started == null || !"optimize".equals(started.get("kind"))) {
            throw new EvolutionError("Session " + id + " is not an optimisation", "Resume the id that 'sigil evolve optimize' printed.");
        }
        Optimizer.Progress progress = null;
        if (last != null && baseline != null) {
            List<BeamEntry> beam = ((List<?>) last.get("beam")).stream().map(b -> BeamEntry.fromMap((Map<?, ?>) b)).toList();
            progress = new Optimizer.Progress(baseline, beam, ((Number) last.get("generation")).intValue(), seen);
        }
        return new Recorded((String) started.get("agent"), (String) started.get("prompt"), strings(started.get("train")),
                strings(started.get("held_out")), OptimizeOptions.fromMap((Map<?, ?>) started.get("options")), progress, cost);
    }

    private static List<String> strings(Object o) { return ((List<?>) o).stream().map(String::valueOf).toList(); }
}
