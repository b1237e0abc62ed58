package io.sigil.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key of the catalogue: the canonical dotted name ({@code llm.model}), how its value is
 * written and checked, whether it is secret, what it does, the extra environment names the guide uses for it
 * ({@code SIGIL_USE_MEMORY}, {@code ANTHROPIC_API_KEY}) and how to read it back from {@link Settings} (which
 * also gives its default, so defaults live in one place: the {@code DEFAULTS} constants of {@link Settings}).
 */
public record ConfigKey(String key, ValueType type, Secrecy secrecy, String description, List<String> aliases,
                        Function<Settings, Object> reader) {

    /** How a value is masked when shown. */
    public enum Secrecy {
        PUBLIC,
        /** Shown as {@code ***}. */
        SECRET,
        /** A URL whose password is shown as {@code ***}: {@code postgresql://sigil:***@db:5432/sigil}. */
        CREDENTIALS_IN_URL
    }

    public static final String MASK = "***";
    private static final java.util.regex.Pattern PASSWORD_PARAMETER =
            java.util.regex.Pattern.compile("(?i)([?&]password=)[^&]*");

    public ConfigKey {
        Objects.requireNonNull(key, "key");
        aliases = List.copyOf(aliases);
    }

    /** The section: {@code llm} for {@code llm.model}, empty for top-level keys. */
    public String section() {
        int dot = key.indexOf('.');
        return dot < 0 ? "" : key.substring(0, dot);
    }

    /** {@code SIGIL_LLM__MODEL}: the nested form of the design. */
    public String nestedEnvName() { return "SIGIL_" + key.toUpperCase(Locale.ROOT).replace(".", "__"); }

    /** {@code SIGIL_LLM_MODEL}: the guide's flat form. */
    public String flatEnvName() { return "SIGIL_" + key.toUpperCase(Locale.ROOT).replace('.', '_'); }

    /** Every environment name that sets this key, in the order they are looked up (first present wins). */
    public List<String> envNames() {
        var names = new ArrayList<String>();
        for (String n : List.of(nestedEnvName(), flatEnvName())) if (!names.contains(n)) names.add(n);
        for (String n : aliases) if (!names.contains(n)) names.add(n);
        return List.copyOf(names);
    }

    /** The name the guide uses, shown in .env.example and the reference. */
    public String primaryEnvName() { return aliases.isEmpty() ? flatEnvName() : aliases.getFirst(); }

    public boolean isSecret() { return secrecy != Secrecy.PUBLIC; }

    /** The typed value of this key in {@code settings}, in the form {@link ValueType#parse} returns. */
    public Object read(Settings settings) { return reader.apply(settings); }

    /** The default, written as a user would write it ("" when unset). */
    public String defaultText() { return type.format(read(Settings.defaults())); }

    /** {@code value} (typed) written for display, with secrets masked. Null values show as "". */
    public String show(Object value) {
        return value == null ? "" : mask(type.format(value));
    }

    /** Masks raw text of this key for display (used for values that failed to parse too). */
    public String mask(String text) {
        if (text == null || text.isEmpty()) return text;
        return switch (secrecy) {
            case PUBLIC -> text;
            case SECRET -> MASK;
            case CREDENTIALS_IN_URL -> maskUrlPassword(text);
        };
    }

    /** Masks the password of {@code user:pass@} and of a JDBC URL's {@code password=} parameter. */
    private static String maskUrlPassword(String text) {
        try {
            String masked = PASSWORD_PARAMETER.matcher(text).replaceAll("$1" + MASK);
            URI u = new URI(masked.regionMatches(true, 0, "jdbc:", 0, 5) ? masked.substring(5) : masked);
            String userInfo = u.getRawUserInfo();
            if (userInfo == null) return masked;
            int colon = userInfo.indexOf(':');
            String shown = colon < 0 ? userInfo : userInfo.substring(0, colon + 1) + MASK;
            return masked.replace(userInfo + "@", shown + "@");
        } catch (java.net.URISyntaxException e) {
            return MASK;
        }
    }
}
