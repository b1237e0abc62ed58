package io.sigil.postgres;

import io.sigil.errors.ConfigError;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where the database is: the guide's {@code postgresql://user:pass@host:5432/db} form (also {@code postgres://}) or
 * a JDBC URL ({@code jdbc:postgresql://host:5432/db?user=...&password=...}), as a JDBC URL without credentials plus
 * the user and password. {@link #toString()} never shows the password.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    private static final String HINT = "set DATABASE_URL to postgresql://user:password@host:5432/database "
            + "(or jdbc:postgresql://host:5432/database?user=...&password=...)";

    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new ConfigError("no PostgreSQL database is configured (services.database_url is empty)", HINT);
        }
        String text = url.strip();
        if (text.regionMatches(true, 0, "jdbc:postgresql:", 0, 16)) return new DatabaseUrl(text, null, null);
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigError("services.database_url is not a valid URL: " + e.getReason(), HINT);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
            throw new ConfigError("services.database_url has scheme '" + scheme + "', not postgresql", HINT);
        }
        String authority = u.getRawAuthority();
        if (authority == null || authority.isBlank()) {
            throw new ConfigError("services.database_url names no host", HINT);
        }
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String info = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
        return new DatabaseUrl("jdbc:postgresql://" + authority + path + query, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The same database under another name (tests and {@code sigil state copy} use sibling databases). */
    public DatabaseUrl withDatabase(String database) {
        int slash = jdbcUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = jdbcUrl.indexOf('?');
        String base = slash < 0 ? (query < 0 ? jdbcUrl : jdbcUrl.substring(0, query)) : jdbcUrl.substring(0, slash);
        return new DatabaseUrl(base + "/" + database + (query < 0 ? "" : jdbcUrl.substring(query)), user, password);
    }

    /** The JDBC URL with any {@code password=} parameter masked, and the user. */
    @Override
    public String toString() {
        String shown = jdbcUrl.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
        return user == null ? shown : shown + " (user " + user + (password == null ? "" : ", password ***") + ")";
    }
}
