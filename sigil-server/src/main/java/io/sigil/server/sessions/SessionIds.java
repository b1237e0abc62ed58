package io.sigil.server.sessions;

import java.util.regex.Pattern;

/**
 * The syntax of a session id as the API accepts it (path, run body, WebSocket message): Sigil makes UUIDs, and a
 * client-chosen id is letters, digits and {@code . _ : -}, 1 to 100 characters. Anything else is a 400 that names
 * {@code session_id}, before any lookup, so a malformed id is never reported as a missing session.
 */
public final class SessionIds {
    public static final String RULE = "a session id is 1 to 100 letters, digits, '.', '_', ':' or '-', starting with"
            + " a letter or digit (Sigil's own ids are UUIDs)";
    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

    private SessionIds() { }

    public static boolean valid(String id) {
        return id != null && SYNTAX.matcher(id).matches();
    }

    /** The id shortened and stripped of control characters, safe to echo in an error. */
    public static String printable(String id) {
        if (id == null) return "";
        String shown = id.length() > 40 ? id.substring(0, 40) + "..." : id;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
