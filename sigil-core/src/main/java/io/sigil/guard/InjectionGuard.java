package io.sigil.guard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Screens user input for prompt injection and applies the configured {@link InjectionMode}. Tool output is not
 * screened here: it is always wrapped as untrusted data by {@link UntrustedContent}, whatever the mode.
 */
public final class InjectionGuard {

    /** What replaces a neutralised passage in mode sanitize. */
    public static final String REMOVED_MARKER = "[removed: suspected prompt injection]";

    private final InjectionDetector detector;
    private final InjectionMode mode;

    public InjectionGuard(InjectionDetector detector, InjectionMode mode) {
        this.detector = Objects.requireNonNull(detector, "detector");
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /** A guard with the built-in rule detector and the mode from settings ({@code Settings.Security.injectionMode}). */
    public static InjectionGuard fromSettings(String injectionMode) {
        return new InjectionGuard(new RuleBasedDetector(), InjectionMode.parse(injectionMode));
    }

    public InjectionMode mode() {
        return mode;
    }

    /** Judges {@code text}; never throws. In mode block the verdict's action is BLOCKED: see {@link #enforce}. */
    public Verdict check(String text) {
        String input = text == null ? "" : text;
        Detection d = detector.detect(input);
        double threshold = detector.threshold();
        if (d.score() < threshold) {
            return new Verdict(d.score(), threshold, mode, Verdict.Action.ALLOWED, d.signals(), input);
        }
        return switch (mode) {
            case FLAG -> new Verdict(d.score(), threshold, mode, Verdict.Action.FLAGGED, d.signals(), input);
            case BLOCK -> new Verdict(d.score(), threshold, mode, Verdict.Action.BLOCKED, d.signals(), input);
            case SANITIZE -> new Verdict(d.score(), threshold, mode, Verdict.Action.SANITIZED, d.signals(),
                    sanitize(input, spansToRemove(input)));
        };
    }

    /** Judges {@code text} and returns the text to use; throws {@link InjectionBlockedError} in mode block. */
    public Verdict enforce(String text) {
        Verdict v = check(text);
        if (v.action() == Verdict.Action.BLOCKED) throw new InjectionBlockedError(v);
        return v;
    }

    /**
     * The passages to neutralise: every passage the detector points at, each extended to the end of its sentence,
     * where the injected order usually continues. Evasion signals name no passage and are skipped.
     */
    private List<int[]> spansToRemove(String text) {
        var spans = new ArrayList<int[]>();
        for (Signal s : detector.passages(text)) {
            if (s.family() == Signal.Family.OBFUSCATION) continue;
            spans.add(new int[] {s.start(), endOfSentence(text, s.end())});
        }
        // A detector that reports no passages: nothing of the input can be trusted.
        if (spans.isEmpty()) spans.add(new int[] {0, text.length()});
        spans.sort(Comparator.comparingInt(a -> a[0]));
        return spans;
    }

    private static int endOfSentence(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') return i;
            if ((c == '.' || c == '!' || c == '?') && (i + 1 == text.length() || Character.isWhitespace(text.charAt(i + 1)))) {
                return i + 1;
            }
        }
        return text.length();
    }

    private static String sanitize(String text, List<int[]> spans) {
        var out = new StringBuilder(text.length());
        int at = 0;
        int i = 0;
        while (i < spans.size()) {
            int start = spans.get(i)[0];
            int end = spans.get(i)[1];
            while (i + 1 < spans.size() && spans.get(i + 1)[0] <= end) end = Math.max(end, spans.get(++i)[1]);
            if (start > at) out.append(text, at, start);
            out.append(REMOVED_MARKER);
            at = Math.max(at, end);
            i++;
        }
        if (at < text.length()) out.append(text, at, text.length());
        return out.toString();
    }
}
