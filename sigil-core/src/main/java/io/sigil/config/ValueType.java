package io.sigil.config;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How a configuration value is written and checked. Every source hands the loader text; the type turns it into
 * the typed value or says what is allowed, so an error can name the key, the source, the value and the rule.
 */
public sealed interface ValueType {

    /** Parses {@code raw}; throws {@link Invalid} with what is allowed when it does not fit. */
    Object parse(String raw) throws Invalid;

    /** What is allowed, for error messages and the reference: {@code 0..2}, {@code one of a, b}. */
    String allowed();

    /** The value written back the way a user would write it (the inverse of {@link #parse}). */
    default String format(Object value) {
        return value == null ? "" : value.toString();
    }

    /** A value that does not fit its type; the message says what is allowed. */
    final class Invalid extends Exception {
        public Invalid(String message) { super(message, null, false, false); }
    }

    /** Free text; {@code optional} types accept the empty string as "not set" (null). */
    record Text(boolean optional) implements ValueType {
        public Object parse(String raw) throws Invalid {
            String v = raw.strip();
            if (v.isEmpty()) {
                if (optional) return null;
                throw new Invalid("a non-empty string");
            }
            return v;
        }
        public String allowed() { return optional ? "any string (empty: not set)" : "a non-empty string"; }
    }

    /** {@code value}, or the empty string for "not set" (null): for settings whose absence means something. */
    record OrUnset(ValueType value) implements ValueType {
        public Object parse(String raw) throws Invalid { return raw.strip().isEmpty() ? null : value.parse(raw); }
        public String allowed() { return value.allowed() + " (empty: not set)"; }
        @Override
        public String format(Object v) { return v == null ? "" : value.format(v); }
    }

    record Bool() implements ValueType {
        public Object parse(String raw) throws Invalid {
            return switch (raw.strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> Boolean.TRUE;
                case "false", "no", "off", "0" -> Boolean.FALSE;
                default -> throw new Invalid(allowed());
            };
        }
        public String allowed() { return "true or false"; }
    }

    record Int(long min, long max) implements ValueType {
        public Object parse(String raw) throws Invalid {
            long v;
            try {
                v = Long.parseLong(raw.strip().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new Invalid("a whole number in " + allowed());
            }
            if (v < min || v > max) throw new Invalid(allowed());
            return v;
        }
        public String allowed() { return min + ".." + max; }
    }

    record Decimal(double min, double max) implements ValueType {
        public Object parse(String raw) throws Invalid {
            double v;
            try {
                v = Double.parseDouble(raw.strip());
            } catch (NumberFormatException e) {
                throw new Invalid("a number in " + allowed());
            }
            if (Double.isNaN(v) || v < min || v > max) throw new Invalid(allowed());
            return v;
        }
        public String allowed() { return trim(min) + ".." + trim(max); }
        private static String trim(double d) { return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d); }
    }

    /** One of a closed set of words, matched without regard to case and returned in its canonical spelling. */
    record Choice(List<String> values) implements ValueType {
        public Object parse(String raw) throws Invalid {
            String v = raw.strip();
            for (String c : values) if (c.equalsIgnoreCase(v)) return c;
            throw new Invalid(allowed());
        }
        public String allowed() { return "one of " + String.join(", ", values); }
    }

    /** A duration: whole seconds ({@code 60}) or with a unit ({@code 500ms}, {@code 90s}, {@code 5m}, {@code 1h}). */
    record Seconds(long minSeconds, long maxSeconds) implements ValueType {
        private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
        public Object parse(String raw) throws Invalid {
            Matcher m = FORM.matcher(raw.strip().toLowerCase(Locale.ROOT));
            if (!m.matches()) throw new Invalid("seconds (60) or a duration (500ms, 90s, 5m, 1h) in " + allowed());
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new Invalid(allowed());
            }
            Duration d = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
            if (d.compareTo(Duration.ofSeconds(minSeconds)) < 0 || d.compareTo(Duration.ofSeconds(maxSeconds)) > 0) {
                throw new Invalid(allowed());
            }
            return d;
        }
        public String allowed() { return minSeconds + "s.." + maxSeconds + "s"; }
        public String format(Object value) {
            Duration d = (Duration) value;
            return d.toMillisPart() == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
    }

    /** A byte size: {@code 1048576}, {@code 512KB}, {@code 10MB}, {@code 1GB} (powers of 1024). */
    record ByteSize(long min, long max) implements ValueType {
        private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb)?");
        public Object parse(String raw) throws Invalid {
            Matcher m = FORM.matcher(raw.strip().toLowerCase(Locale.ROOT));
            if (!m.matches()) throw new Invalid("a size (1048576, 512KB, 10MB, 1GB) in " + allowed());
            long n;
            try {
                n = Math.multiplyExact(Long.parseLong(m.group(1)), switch (m.group(2) == null ? "b" : m.group(2)) {
                    case "kb" -> 1024L;
                    case "mb" -> 1024L * 1024;
                    case "gb" -> 1024L * 1024 * 1024;
                    default -> 1L;
                });
            } catch (ArithmeticException | NumberFormatException e) {
                throw new Invalid(allowed());
            }
            if (n < min || n > max) throw new Invalid(allowed());
            return n;
        }
        public String allowed() { return human(min) + ".." + human(max); }
        public String format(Object value) { return human((Long) value); }
        static String human(long n) {
            if (n >= 1024L * 1024 * 1024 && n % (1024L * 1024 * 1024) == 0) return n / (1024L * 1024 * 1024) + "GB";
            if (n >= 1024L * 1024 && n % (1024L * 1024) == 0) return n / (1024L * 1024) + "MB";
            if (n >= 1024 && n % 1024 == 0) return n / 1024 + "KB";
            return String.valueOf(n);
        }
    }

    /** A file system path, relative to the working directory unless absolute; empty means "not set" when optional. */
    record FilePath(boolean optional) implements ValueType {
        public Object parse(String raw) throws Invalid {
            String v = raw.strip();
            if (v.isEmpty()) {
                if (optional) return null;
                throw new Invalid("a path");
            }
            try {
                return Path.of(v);
            } catch (InvalidPathException e) {
                throw new Invalid("a valid path (" + e.getReason() + ")");
            }
        }
        public String allowed() { return optional ? "a path (empty: not set)" : "a path"; }
    }

    /** An absolute URL with one of the given schemes; empty means "not set". */
    record Url(List<String> schemes) implements ValueType {
        public Object parse(String raw) throws Invalid {
            String v = raw.strip();
            if (v.isEmpty()) return null;
            try {
                // A JDBC URL (jdbc:postgresql://host/db) is checked as the URL after its jdbc: prefix.
                boolean jdbc = v.regionMatches(true, 0, "jdbc:", 0, 5);
                URI u = new URI(jdbc ? v.substring(5) : v);
                if (jdbc && (u.getScheme() == null || !schemes.contains("jdbc:" + u.getScheme().toLowerCase(Locale.ROOT)))) {
                    throw new Invalid(allowed());
                }
                // The authority, not getHost(): container names such as sigil_postgres are not RFC 2396 hosts.
                if (u.getScheme() != null && (jdbc || schemes.contains(u.getScheme().toLowerCase(Locale.ROOT)))
                        && u.getRawAuthority() != null && !u.getRawAuthority().isBlank()) {
                    return v;
                }
            } catch (java.net.URISyntaxException e) {
                // reported below with what is allowed
            }
            throw new Invalid(allowed());
        }
        public String allowed() {
            return "a URL " + schemes.stream().map(s -> s + "://...").collect(Collectors.joining(" or ")) + " (empty: not set)";
        }
    }

    /**
     * A list of strings: a JSON-style array ({@code ["a", "b"]}, as in the guide's .env) or comma-separated
     * text. YAML sequences reach the loader already joined in the array form.
     */
    record TextList() implements ValueType {
        public Object parse(String raw) throws Invalid {
            String v = raw.strip();
            if (v.isEmpty() || v.equals("[]")) return List.of();
            if (v.startsWith("[")) {
                if (!v.endsWith("]")) throw new Invalid(allowed());
                v = v.substring(1, v.length() - 1);
            }
            var items = new ArrayList<String>();
            for (String part : v.split(",")) {
                String item = part.strip();
                if (item.length() >= 2 && (item.startsWith("\"") && item.endsWith("\"")
                        || item.startsWith("'") && item.endsWith("'"))) {
                    item = item.substring(1, item.length() - 1);
                }
                if (item.isEmpty()) throw new Invalid(allowed() + " without empty items");
                items.add(item);
            }
            return List.copyOf(items);
        }
        public String allowed() { return "a list: [\"a\", \"b\"] or a,b"; }
        public String format(Object value) {
            @SuppressWarnings("unchecked") List<String> list = (List<String>) value;
            return list.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", ", "[", "]"));
        }
    }
}
