package io.sigil.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Complexity in 0..1 (sigil-design.md section 5): 0.25 x each of length/500, distinct tool words/5, distinct
 * domain words/4 and distinct decision words/4, each capped at 1; then create/modify x1.2 (cap 1), system
 * x0.5 (cap 0.3), chat x0.8 (cap 0.5).
 *
 * <p>The design names the factors but not their vocabularies; the word lists below are Sigil's. Tool words name
 * external capabilities a request would need, domain words specialised fields, decision words conditions and
 * trade-offs. Matching is whole-word and case-insensitive.
 */
public final class ComplexityAssessor {
    static final Set<String> TOOL_WORDS = Set.of("api", "apis", "database", "databases", "file", "files", "web",
            "website", "search", "email", "emails", "calendar", "http", "url", "tool", "tools", "integrate",
            "integration", "integrations", "webhook", "sms", "call", "calls", "scrape", "spreadsheet", "csv", "json",
            "sql", "crm", "slack", "upload", "download", "browse", "schedule");
    static final Set<String> DOMAIN_WORDS = Set.of("financial", "finance", "medical", "legal", "compliance",
            "security", "scientific", "technical", "healthcare", "insurance", "tax", "taxes", "accounting",
            "regulatory", "engineering", "marketing", "sales", "analytics", "statistics", "clinical", "investment",
            "banking", "logistics", "research");
    static final Set<String> DECISION_WORDS = Set.of("if", "whether", "decide", "decides", "choose", "chooses",
            "compare", "compares", "evaluate", "evaluates", "analyze", "analyse", "analyzes", "prioritize",
            "prioritise", "should", "unless", "otherwise", "depending", "tradeoff", "tradeoffs", "either",
            "rank", "recommend", "weigh", "optimize", "optimise");

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}_]+");

    public ComplexityAssessment assess(String text, Intent intent) {
        String input = text == null ? "" : text.strip();
        Set<String> words = new TreeSet<>();
        Matcher m = WORD.matcher(input.toLowerCase(Locale.ROOT));
        while (m.find()) words.add(m.group());
        List<String> tools = present(words, TOOL_WORDS);
        List<String> domain = present(words, DOMAIN_WORDS);
        List<String> decisions = present(words, DECISION_WORDS);

        double length = Math.min(input.length() / 500.0, 1);
        double tool = Math.min(tools.size() / 5.0, 1);
        double dom = Math.min(domain.size() / 4.0, 1);
        double dec = Math.min(decisions.size() / 4.0, 1);
        double raw = 0.25 * (length + tool + dom + dec);

        double multiplier = switch (intent) {
            case CREATE_AGENT, MODIFY_AGENT -> 1.2;
            case SYSTEM_COMMAND -> 0.5;
            case GENERAL_CHAT -> 0.8;
            case RUN_AGENT, QUERY_MEMORY -> 1.0;
        };
        double cap = switch (intent) {
            case SYSTEM_COMMAND -> 0.3;
            case GENERAL_CHAT -> 0.5;
            default -> 1.0;
        };
        return new ComplexityAssessment(length, tool, dom, dec, tools, domain, decisions, raw, multiplier, cap,
                Math.min(raw * multiplier, cap));
    }

    private static List<String> present(Set<String> words, Set<String> vocabulary) {
        List<String> hits = new ArrayList<>();
        for (String w : words) if (vocabulary.contains(w)) hits.add(w);
        return hits;
    }
}
