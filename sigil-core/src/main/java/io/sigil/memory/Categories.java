package io.sigil.memory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The category vocabulary of sigil-design.md section 9 and the snake_case rule for names. */
public final class Categories {
    public static final String GENERAL = "general";

    /** Categories for sales conversations, with what belongs in them. */
    public static final Map<String, String> CONVERSATION = ordered(
            "lead_preferences", "What a lead likes, prefers or wants",
            "objection_patterns", "Objections raised and how they were phrased",
            "buying_signals", "Signs that a lead is ready to buy",
            "contact_information", "Emails, phone numbers, addresses and how to reach people",
            "timeline_requirements", "Deadlines, dates and timing constraints",
            "budget_information", "Budgets, price ranges and spending limits",
            "decision_makers", "Who decides, signs or approves",
            "pain_points", "Problems and frustrations the lead has",
            "competitor_mentions", "Competitors named and what was said about them",
            "successful_approaches", "What worked in the conversation");

    /** Categories for documents. */
    public static final Map<String, String> DOCUMENT = ordered(
            "product_knowledge", "What the product is and does",
            "pricing_information", "Prices, plans and discounts",
            "feature_details", "Individual features and how they work",
            "competitor_analysis", "How competitors compare",
            "market_insights", "Trends and facts about the market",
            "customer_testimonials", "What customers said",
            "process_documentation", "How things are done, step by step",
            "policy_information", "Rules, terms and policies");

    private Categories() { }

    /** snake_case of a category name; null or blank is {@link #GENERAL}. */
    public static String normalize(String name) {
        if (name == null || name.isBlank()) return GENERAL;
        if (isNormal(name)) return name; // stored items are read back often; skip the regexes
        String snake = name.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return snake.isEmpty() ? GENERAL : snake;
    }

    private static boolean isNormal(String name) {
        if (name.charAt(0) == '_' || name.charAt(name.length() - 1) == '_') return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '_' && name.charAt(i - 1) != '_');
            if (!ok) return false;
        }
        return true;
    }

    /** The known description of a category, or a generic one. */
    public static String describe(String name) {
        String n = normalize(name);
        return CONVERSATION.getOrDefault(n, DOCUMENT.getOrDefault(n, n.equals(GENERAL)
                ? "Facts that fit no other category" : "Items about " + n.replace('_', ' ')));
    }

    private static Map<String, String> ordered(String... pairs) {
        var map = new LinkedHashMap<String, String>();
        for (int i = 0; i < pairs.length; i += 2) map.put(pairs[i], pairs[i + 1]);
        return java.util.Collections.unmodifiableMap(map);
    }
}
