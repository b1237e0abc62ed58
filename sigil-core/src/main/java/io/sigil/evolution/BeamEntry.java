package io.sigil.evolution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A prompt in the beam: the candidate, its evaluation on the training cases, and its drift from the current prompt. */
public record BeamEntry(Candidate candidate, Evaluation train, double drift) {

    /** The form stored in {@code evolution.generation} events, which a resumed optimisation reads back. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prompt", candidate.prompt());
        m.put("origin", candidate.origin());
        m.put("drift", Evaluation.round(drift));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("score", train.score());
        t.put("pass_rate", train.passRate());
        t.put("confidence", train.confidence());
        t.put("repeats", train.repeats());
        t.put("complete", train.complete());
        List<Map<String, Object>> cases = new ArrayList<>();
        for (Evaluation.CaseResult c : train.cases()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("id", c.caseId());
            cm.put("weight", c.weight());
            cm.put("score", c.score());
            cm.put("pass_rate", c.passRate());
            cm.put("stddev", c.stddev());
            cm.put("runs", c.runs());
            cm.put("reasons", c.reasons());
            cases.add(cm);
        }
        t.put("cases", cases);
        m.put("train", t);
        return m;
    }

    public static BeamEntry fromMap(Map<?, ?> m) {
        Map<?, ?> t = (Map<?, ?>) m.get("train");
        List<Evaluation.CaseResult> cases = new ArrayList<>();
        for (Object o : (List<?>) t.get("cases")) {
            Map<?, ?> c = (Map<?, ?>) o;
            List<String> reasons = ((List<?>) c.get("reasons")).stream().map(String::valueOf).toList();
            cases.add(new Evaluation.CaseResult((String) c.get("id"), num(c.get("weight")), num(c.get("score")),
                    num(c.get("pass_rate")), num(c.get("stddev")), reasons, (int) num(c.get("runs"))));
        }
        String prompt = (String) m.get("prompt");
        Evaluation train = new Evaluation(prompt, num(t.get("score")), num(t.get("pass_rate")), num(t.get("confidence")),
                (int) num(t.get("repeats")), cases, 0, Boolean.TRUE.equals(t.get("complete")), Cost.Report.ZERO);
        return new BeamEntry(new Candidate(prompt, (String) m.get("origin")), train, num(m.get("drift")));
    }

    private static double num(Object o) { return o instanceof Number n ? n.doubleValue() : 0; }
}
