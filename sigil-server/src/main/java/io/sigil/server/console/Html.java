package io.sigil.server.console;

/**
 * A minimal HTML writer for the console's server-rendered pages. Every piece of data goes through {@link #text} or
 * an attribute method, which escape it; only the console's own fixed markup goes through {@link #raw}. Nothing a
 * session holds (messages, tool arguments, memory content, agent names) can therefore become markup or script.
 */
public final class Html {
    private final StringBuilder out = new StringBuilder(4096);

    /** Escapes text for an element's content or a double-quoted attribute value. */
    public static String escape(String s) {
        if (s == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                // Control characters other than tab, newline and return are not allowed in HTML text.
                default -> c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? "\uFFFD" : null;
            };
            if (rep != null) {
                if (b == null) b = new StringBuilder(s.length() + 16).append(s, 0, i);
                b.append(rep);
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** Fixed markup written by the console itself; never data. */
    public Html raw(String markup) {
        out.append(markup);
        return this;
    }

    /** Data as text. */
    public Html text(Object value) {
        out.append(escape(value == null ? "" : String.valueOf(value)));
        return this;
    }

    /** {@code <tag>text</tag>} with escaped text; {@code tag} is the console's own (h1, td, code ...). */
    public Html el(String tag, Object value) {
        return raw("<" + tag + ">").text(value).raw("</" + tag.split(" ", 2)[0] + ">");
    }

    /** A link whose href is built from escaped, URL-encoded parts by the caller ({@link #path}). */
    public Html link(String href, Object label) {
        return raw("<a href=\"").text(href).raw("\">").text(label).raw("</a>");
    }

    /** A path with each segment URL-encoded: {@code path("/console/sessions", id)}. */
    public static String path(String base, String... segments) {
        StringBuilder b = new StringBuilder(base);
        for (String s : segments) {
            b.append('/').append(java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString();
    }

    /** A query string value, URL-encoded. */
    public static String query(String value) {
        return java.net.URLEncoder.encode(value == null ? "" : value, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() { return out.toString(); }
}
