package io.sigil.memory.extract;

import io.sigil.memory.Categories;
import io.sigil.memory.Resource;
import io.sigil.memory.ResourceType;
import io.sigil.memory.retrieval.KeywordText;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Extraction without a model (sigil-design.md section 9): sentences that state preferences, budgets, contacts
 * or deadlines become items at confidence {@value #CONFIDENCE}. Documents also keep every chunk as a
 * {@code general} item so their content stays searchable, with its title, section and the previous chunk's end as
 * keyword context ({@link DocumentChunks}).
 */
public final class RuleExtractor implements Extractor {
    public static final double CONFIDENCE = 0.6;

    private record Rule(String category, Pattern pattern) { }

    private static final List<Rule> RULES = List.of(
            new Rule("contact_information", Pattern.compile(
                    "[\\w.+-]+@[\\w-]+\\.[\\w.]+|\\+?\\d[\\d ()-]{7,}\\d|\\b(call|reach|contact|email|phone)\\b.*\\b(me|us|at|on)\\b",
                    Pattern.CASE_INSENSITIVE)),
            new Rule("budget_information", Pattern.compile(
                    "[$€£]\\s?\\d|\\b\\d+(\\.\\d+)?\\s?(k|m|usd|eur|dollars|euros)\\b|\\bbudget|\\bspend|\\bafford|\\bprice (cap|ceiling|limit)",
                    Pattern.CASE_INSENSITIVE)),
            new Rule("timeline_requirements", Pattern.compile(
                    "\\b(deadline|due|by|before|until|no later than|cutoff|go[- ]live)\\b.*\\b(\\d{1,2}(st|nd|rd|th)?|january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|q[1-4]|end of|next (week|month|quarter|year))\\b|\\bdeadline\\b",
                    Pattern.CASE_INSENSITIVE)),
            new Rule("lead_preferences", Pattern.compile(
                    "\\b(i|we)\\s+(really\\s+)?(prefer|would rather|'d rather|like|love|want|need|hate|dislike|don't like|do not like)\\b|\\bprefer(s|red)?\\b|\\brather\\b",
                    Pattern.CASE_INSENSITIVE)));

    private static final Pattern SENTENCE = Pattern.compile("(?<=[.!?])\\s+|\\n+");

    @Override
    public List<Extracted> extract(Resource resource) {
        var out = new ArrayList<Extracted>();
        var seen = new LinkedHashSet<String>();
        for (String sentence : SENTENCE.split(resource.content())) {
            String s = stripSpeaker(sentence.strip());
            if (s.length() < 8) continue;
            for (Rule rule : RULES) {
                if (rule.pattern().matcher(s).find() && seen.add(s)) {
                    out.add(new Extracted(s, rule.category(), CONFIDENCE));
                    break;
                }
            }
        }
        if (resource.type() == ResourceType.DOCUMENT) {
            for (DocumentChunks.Chunk chunk : DocumentChunks.of(resource, Chunker.DEFAULT_MAX_CHARS)) {
                if (!seen.add(chunk.text())) continue;
                out.add(new Extracted(chunk.text(), Categories.GENERAL, CONFIDENCE, chunk.context().isEmpty()
                        ? Map.of() : Map.of(KeywordText.CONTEXT, chunk.context())));
            }
        }
        return out;
    }

    /** "lead: we prefer email" keeps "we prefer email": the speaker label is not part of the fact. */
    private static String stripSpeaker(String s) {
        return s.replaceFirst("^[A-Za-z][\\w .-]{0,30}:\\s+", "");
    }

    @Override
    public String name() { return "rules"; }
}
