package io.sigil.server.console;

import java.util.List;

/** The frame of every console page: head (own stylesheet only), skip link, navigation, the user and logout. */
final class Layout {
    private Layout() { }

    record Nav(String key, String href, String label) { }

    static final List<Nav> NAV = List.of(
            new Nav("sessions", "/console", "Sessions"),
            new Nav("live", "/console/live", "Live run"),
            new Nav("approvals", "/console/approvals", "Approvals"),
            new Nav("memory", "/console/memory", "Memory"),
            new Nav("agents", "/console/agents", "Agents"),
            new Nav("contracts", "/console/contracts", "Contracts"),
            new Nav("health", "/console/health", "Health"));

    /** A page for a logged-in user; {@code active} is the nav key of the section, {@code body} already escaped. */
    static String page(ConsoleRequest r, String title, String active, String body, String... scripts) {
        Html h = head(title);
        h.raw("<body><a class=\"skip\" href=\"#main\">Skip to content</a><header class=\"top\"><span class=\"brand\">Sigil console</span>")
                .raw("<nav aria-label=\"Console sections\"><ul>");
        for (Nav n : NAV) {
            h.raw("<li><a href=\"").text(n.href()).raw("\"").raw(n.key().equals(active) ? " aria-current=\"page\"" : "")
                    .raw(">").text(n.label()).raw("</a></li>");
        }
        h.raw("</ul></nav><form class=\"logout\" method=\"post\" action=\"/console/logout\">").raw(r.csrfField())
                .raw("<span class=\"who\">").text(r.principal().subject()).raw("</span> <button type=\"submit\">Log out</button></form></header>")
                .raw("<main id=\"main\" tabindex=\"-1\">").raw(body).raw("</main>");
        for (String s : scripts) h.raw("<script src=\"/console/assets/").text(s).raw("\" defer></script>");
        return h.raw("</body></html>").toString();
    }

    /** A page without a login (the login form, errors before login). */
    static String bare(String title, String body) {
        return head(title).raw("<body><main id=\"main\" class=\"narrow\">").raw(body).raw("</main></body></html>").toString();
    }

    private static Html head(String title) {
        return new Html().raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .raw("<title>").text(title).raw(" - Sigil console</title>")
                .raw("<link rel=\"icon\" href=\"/console/assets/icon.svg\" type=\"image/svg+xml\">")
                .raw("<link rel=\"stylesheet\" href=\"/console/assets/console.css\"></head>");
    }
}
