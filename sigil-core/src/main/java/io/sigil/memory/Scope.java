package io.sigil.memory;

import io.sigil.errors.InvalidInputError;

import java.util.regex.Pattern;

/**
 * Who a memory belongs to: a user, an agent, both, or nobody in particular ({@link #GLOBAL}). Every resource,
 * item and category lives in exactly one scope, and a search sees only the scope it asks for.
 *
 * <p>The text form is {@code global}, {@code user:alice}, {@code agent:sales} or {@code user:alice+agent:sales}.
 */
public record Scope(String user, String agent) {
    public static final Scope GLOBAL = new Scope(null, null);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,100}");

    public Scope {
        user = blankToNull(user);
        agent = blankToNull(agent);
        if (user != null && !NAME.matcher(user).matches()) throw bad("user", user);
        if (agent != null && !NAME.matcher(agent).matches()) throw bad("agent", agent);
    }

    public static Scope user(String user) { return new Scope(user, null); }

    public static Scope agent(String agent) { return new Scope(null, agent); }

    /** Parses the text form; null or blank is {@link #GLOBAL}. */
    public static Scope parse(String text) {
        if (text == null || text.isBlank() || text.trim().equals("global")) return GLOBAL;
        String user = null;
        String agent = null;
        for (String part : text.trim().split("\\+")) {
            int colon = part.indexOf(':');
            String kind = colon < 0 ? "" : part.substring(0, colon).trim();
            String value = colon < 0 ? "" : part.substring(colon + 1).trim();
            switch (kind) {
                case "user" -> user = value;
                case "agent" -> agent = value;
                default -> throw new InvalidInputError("Unknown memory scope '" + text + "'",
                        "write a scope as global, user:<id>, agent:<name> or user:<id>+agent:<name>");
            }
        }
        return new Scope(user, agent);
    }

    /** The text form, also the stored key. */
    public String key() {
        if (user == null && agent == null) return "global";
        if (agent == null) return "user:" + user;
        if (user == null) return "agent:" + agent;
        return "user:" + user + "+agent:" + agent;
    }

    @Override
    public String toString() { return key(); }

    private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s.trim(); }

    private static InvalidInputError bad(String kind, String value) {
        return new InvalidInputError("Invalid " + kind + " in memory scope: '" + value + "'",
                "use letters, digits and _ . @ - (at most 100 characters)");
    }
}
