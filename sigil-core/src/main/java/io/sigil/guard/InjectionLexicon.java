package io.sigil.guard;

import io.sigil.guard.Signal.Family;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The built-in rules: general knowledge of prompt-injection attacks in English, German and other common
 * languages, written over normalized text (lower case, ASCII-folded, umlauts without dots: "vorherigen",
 * "ausfuhrungen").
 *
 * <p>Weights follow one policy: 0.7 and up for phrasings that are an attack on their own ("ignore all previous
 * instructions"); 0.4-0.55 for phrasings that are usually an attack but have innocent uses ("forget everything",
 * "you are now"); 0.15-0.35 for hints that only count together with others ("act as", "previous instructions"
 * mentioned, "## instructions"). Scores combine as a noisy-OR, so two hints reach the default threshold of 0.5
 * only if they are not both weak.
 */
public final class InjectionLexicon {
    private InjectionLexicon() { }

    /** Shared vocabulary, spliced into patterns as {NAME}. */
    private static final Map<String, String> WORDS = Map.ofEntries(
            // English
            Map.entry("STRONGVERB", "ignore|ignoring|disregard|disregarding|forget|forgetting|neglect|abandon|overlook"
                    + "|set aside|put aside|pay no attention to|don'?t follow|do not follow|stop following"
                    + "|no longer follow|unlearn|leave behind|throw away|throw out"),
            Map.entry("WEAKVERB", "skip|override|overrule|bypass|drop|discard|erase|delete|remove|clear|scrap|cancel"
                    + "|dismiss|wipe|reset|replace|circumvent|violate|break"),
            Map.entry("PREV", "previous|previously|prior|above|above-mentioned|aforementioned|preceding|earlier|former"
                    + "|foregoing|original|initial|given|provided|system|before|hidden|developer"),
            Map.entry("QUANT", "all|any|every|each|your|ur"),
            Map.entry("INSTR", "instructions?|instruction set|prompts?|system prompt|directions|directives?|guidelines?"
                    + "|rules|commands|orders|programming|constraints|restrictions|guardrails|policies|guidance"
                    + "|limitations|filters|safeguards|safety settings|conditioning|training"),
            Map.entry("SOFTOBJ", "tasks?|assignments?|information|text|texts|context|messages|conversation|input"
                    + "|content|statements|sentences|words|requests|questions|documents|articles|data|stuff"),
            Map.entry("EXVERB", "show|print|reveal|display|output|repeat|tell|give|write|list|share|leak|dump|return"
                    + "|spell out|recite|type out|copy|paste|echo|disclose|expose|provide|send|read out|summari[sz]e"
                    + "|translate|describe|explain|output"),
            // German
            Map.entry("DEVERB", "ignorier\\w*|vergiss|vergesst|vergessen sie|vergessen|vergesse|missacht\\w*"
                    + "|verwirf|verwerfen sie|uberseh\\w*|beacht\\w* nicht|befolg\\w* nicht|streich\\w*"),
            Map.entry("DEPREV", "vorherig\\w*|bisherig\\w*|vorangehend\\w*|vorangegangen\\w*|obig\\w*|vorig\\w*"
                    + "|fruher\\w*|oben\\w*|zuvor\\w*|erhalten\\w*|gegeben\\w*|ursprunglich\\w*|alt\\w*|erst\\w*"),
            Map.entry("DEQUANT", "alle|alles|die|den|das|deine|ihre|eure|dein|ihr|sämtliche|samtliche|gesamte\\w*"
                    + "|jegliche\\w*|diese\\w*"),
            Map.entry("DEOBJ", "anweisung\\w*|instruktion\\w*|befehl\\w*|auftrag\\w*|auftrage|aufgaben?|regeln|vorgaben"
                    + "|informationen|angaben|ausfuhrungen|hinweise|anordnung\\w*|richtlinien|prompts?|kontext"
                    + "|vorschriften|einschrankungen|programmierung|gesagte\\w*|texte?"));

    private static final List<Rule> RULES = build();

    /** The built-in rules, in evaluation order. */
    public static List<Rule> rules() {
        return RULES;
    }

    private static List<Rule> build() {
        var r = new Rules();
        // The order is part of the learned detector's features (one per rule): append new rules at the end.
        OverrideRules.addTo(r);
        TakeoverRules.addTo(r);
        OutputRules.addTo(r);
        return r.list;
    }

    /** Collects rules, expanding {NAME} placeholders from {@link #WORDS}. */
    static final class Rules {
        final List<Rule> list = new ArrayList<>();

        void add(String name, Family family, double weight, String regex) {
            list.add(new Rule(name, family, weight, Pattern.compile(expand(regex))));
        }

        /** For scripts beyond ASCII: \w and boundaries must understand Unicode letters. */
        void unicode(String name, Family family, double weight, String regex) {
            list.add(new Rule(name, family, weight, Pattern.compile(expand(regex), Pattern.UNICODE_CHARACTER_CLASS)));
        }

        private static String expand(String regex) {
            String out = regex;
            for (var e : WORDS.entrySet()) out = out.replace("{" + e.getKey() + "}", e.getValue());
            if (out.matches("(?s).*\\{[A-Z]{3,}}.*")) {
                throw new IllegalStateException("unknown placeholder in " + regex);
            }
            return out;
        }
    }
}
