package io.sigil.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The keyword weights of sigil-design.md section 5. Each keyword matches as a whole word (or phrase), in any
 * case. The system command's "leading /" is not a word and is matched separately by the classifier.
 */
final class IntentKeywords {

    /**
     * One weighted keyword, its compiled whole-word pattern, and its first word case-folded: most inputs do not
     * contain most keywords, and a substring test on the folded input rules them out before the regex runs.
     */
    record Keyword(String text, double weight, Pattern pattern, String firstWordFolded) {
        static Keyword of(String text, double weight) {
            String body = Pattern.quote(text).replace(" ", "\\E\\s+\\Q");
            return new Keyword(text, weight,
                    Pattern.compile("\\b" + body + "\\b", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE),
                    fold(text.split(" ")[0]));
        }

        /** @param folded {@link #fold}(input), computed once per input */
        boolean matches(String input, String folded) {
            return folded.contains(firstWordFolded) && pattern.matcher(input).find();
        }
    }

    /**
     * Case folding at least as loose as the patterns' Unicode case-insensitive matching (upper then lower case,
     * so that e.g. the long s and the Kelvin sign fold to ASCII as the regex would match them).
     */
    static String fold(String s) {
        return s.toUpperCase(java.util.Locale.ROOT).toLowerCase(java.util.Locale.ROOT);
    }

    static final String LEADING_SLASH = "leading /";
    static final double LEADING_SLASH_WEIGHT = 1.0;

    /** In the design's order, which is also the tie-break order. */
    static final Map<Intent, List<Keyword>> WEIGHTS = weights();

    private IntentKeywords() { }

    private static Map<Intent, List<Keyword>> weights() {
        var m = new LinkedHashMap<Intent, List<Keyword>>();
        m.put(Intent.CREATE_AGENT, List.of(
                Keyword.of("create", 1), Keyword.of("build", 1), Keyword.of("design", .9), Keyword.of("make", .8),
                Keyword.of("new agent", 1), Keyword.of("generate agent", 1), Keyword.of("construct", .8)));
        m.put(Intent.RUN_AGENT, List.of(
                Keyword.of("run", 1), Keyword.of("execute", 1), Keyword.of("use", .7), Keyword.of("with", .5),
                Keyword.of("demo", .9), Keyword.of("start", .8), Keyword.of("launch", .9), Keyword.of("try", .6)));
        m.put(Intent.QUERY_MEMORY, List.of(
                Keyword.of("find", .9), Keyword.of("search", 1), Keyword.of("what", .6), Keyword.of("remember", 1),
                Keyword.of("recall", 1), Keyword.of("know", .7), Keyword.of("where", .6), Keyword.of("when", .6),
                Keyword.of("who", .6), Keyword.of("retrieve", .9), Keyword.of("lookup", .9)));
        m.put(Intent.MODIFY_AGENT, List.of(
                Keyword.of("change", 1), Keyword.of("update", 1), Keyword.of("edit", 1), Keyword.of("modify", 1),
                Keyword.of("alter", .9), Keyword.of("revise", .9), Keyword.of("adjust", .8), Keyword.of("tweak", .8),
                Keyword.of("configure", .8)));
        m.put(Intent.SYSTEM_COMMAND, List.of(
                Keyword.of("help", .7), Keyword.of("list", .6), Keyword.of("status", .8), Keyword.of("version", .7),
                Keyword.of("config", .7), Keyword.of("settings", .7)));
        return m;
    }
}
