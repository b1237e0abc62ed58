package io.sigil.bench.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The task every contender performs: qualify a sales lead into a {@link LeadQualification}. Each task carries a
 * reference ({@code ref=S1-2x3-17}) so the fake server can answer by scenario: S1 gets a valid answer at once; S2 gets,
 * for the first request of a reference, an answer without {@code recommendedAction} (a required field: every
 * contender's validation detects it) and, for the repair request that follows, a valid answer.
 */
public final class LeadTask {
    /** The valid answer (the same bytes for every contender). */
    public static final String VALID = """
            {"score":72,"bant":{"budget":"Approved 50k EUR for this fiscal year",\
            "authority":"The contact is the CFO and signs the purchase",\
            "need":"Manual lead routing loses about 20% of inbound leads",\
            "timeline":"Wants a solution live within the next quarter"},\
            "recommendedAction":"Book a product demo with the CFO this week"}""";
    /** The invalid first answer of S2: the required recommendedAction is missing. */
    public static final String MISSING_ACTION = """
            {"score":72,"bant":{"budget":"Approved 50k EUR for this fiscal year",\
            "authority":"The contact is the CFO and signs the purchase",\
            "need":"Manual lead routing loses about 20% of inbound leads",\
            "timeline":"Wants a solution live within the next quarter"}}""";

    private static final Pattern REF = Pattern.compile("ref=(S[12])-([0-9a-z]+-\\d+)");
    private static final AtomicLong SEQUENCE = new AtomicLong();
    /** Tells apart the references of contenders running in different JVMs against the same server. */
    private static final String JVM = Long.toString(ProcessHandle.current().pid(), 36);

    public enum Scenario { S1, S2 }

    private LeadTask() { }

    /** A new task text of the scenario, with a reference no other task has. */
    public static String next(Scenario scenario) {
        return "Qualify this lead (ref=" + scenario + "-" + JVM + "-" + SEQUENCE.incrementAndGet() + "): ACME GmbH, 400 employees. "
                + "The CFO wrote that 50k EUR are approved for this fiscal year, that manual lead routing loses about "
                + "a fifth of their inbound leads, and that they want a solution live next quarter.";
    }

    /** What a contender's own validation checks: the fields are present and the score is within 0..100. */
    public static List<String> problems(LeadQualification q) {
        List<String> problems = new ArrayList<>();
        if (q == null) return List.of("the answer is empty");
        if (q.score() == null) problems.add("score is missing");
        else if (q.score() < 0 || q.score() > 100) problems.add("score must be within 0..100, got " + q.score());
        if (q.bant() == null) problems.add("bant is missing");
        else {
            if (blank(q.bant().budget())) problems.add("bant.budget is missing");
            if (blank(q.bant().authority())) problems.add("bant.authority is missing");
            if (blank(q.bant().need())) problems.add("bant.need is missing");
            if (blank(q.bant().timeline())) problems.add("bant.timeline is missing");
        }
        if (blank(q.recommendedAction())) problems.add("recommendedAction is missing");
        return problems;
    }

    /** Checks a contender's final result: a benchmark must not time wrong answers. */
    public static LeadQualification expectValid(LeadQualification q) {
        List<String> problems = problems(q);
        if (!problems.isEmpty() || q.score() != 72) {
            throw new IllegalStateException("the contender returned a wrong result: " + q + " " + problems);
        }
        return q;
    }

    private static boolean blank(String s) { return s == null || s.isBlank(); }

    /** The fake server's side: which answer a request gets. Thread-safe. */
    public static final class Answers {
        private final Set<String> repairsPending = ConcurrentHashMap.newKeySet();

        /** The answer to a request body (the valid one when the body names no reference). */
        public String answer(String requestBody) {
            Matcher m = REF.matcher(requestBody);
            if (!m.find() || m.group(1).equals("S1")) return VALID;
            String ref = m.group(2);
            // First request of an S2 task: invalid; its repair (which repeats the task): valid.
            if (repairsPending.add(ref)) return MISSING_ACTION;
            repairsPending.remove(ref);
            return VALID;
        }
    }
}
