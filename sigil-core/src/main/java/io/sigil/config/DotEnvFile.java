package io.sigil.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a dotenv file: {@code NAME=value} lines, {@code #} comments (also after an unquoted value), an optional
 * {@code export } prefix, single quotes taken literally and double quotes with {@code \n \" \\} escapes.
 * Every assignment keeps its line number so that errors can point at it.
 */
public final class DotEnvFile {

    /** One assignment. */
    public record Entry(String name, String value, int line) { }

    /** The assignments in file order, and the lines that could not be read. */
    public record Result(List<Entry> entries, List<ConfigIssue> problems) { }

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    private DotEnvFile() { }

    public static Result read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            return new Result(List.of(), List.of(ConfigIssue.error(null, new ValueSource.DotEnv(file, 1, null), null,
                    "not UTF-8 text; save the file as UTF-8")));
        }
        return parse(file, lines);
    }

    static Result parse(Path file, List<String> lines) {
        var entries = new ArrayList<Entry>();
        var problems = new ArrayList<ConfigIssue>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("export ")) line = line.substring("export ".length()).strip();
            int eq = line.indexOf('=');
            String name = eq < 0 ? line : line.substring(0, eq).strip();
            if (eq < 0 || !NAME.matcher(name).matches()) {
                var where = new ValueSource.DotEnv(file, lineNo, null);
                problems.add(ConfigIssue.error(null, where, null,
                        "expected NAME=value (a name of letters, digits and _, then =)"));
                continue;
            }
            try {
                entries.add(new Entry(name, value(line.substring(eq + 1).strip()), lineNo));
            } catch (IllegalArgumentException e) {
                problems.add(ConfigIssue.error(null, new ValueSource.DotEnv(file, lineNo, name), null, e.getMessage()));
            }
        }
        return new Result(List.copyOf(entries), List.copyOf(problems));
    }

    private static String value(String raw) {
        if (raw.startsWith("'")) {
            int end = raw.indexOf('\'', 1);
            if (end < 0) throw new IllegalArgumentException("unterminated single quote; values cannot span lines");
            rejectTrailing(raw.substring(end + 1));
            return raw.substring(1, end);
        }
        if (raw.startsWith("\"")) {
            var sb = new StringBuilder();
            for (int i = 1; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '\\' && i + 1 < raw.length()) {
                    char n = raw.charAt(++i);
                    sb.append(switch (n) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        default -> n;
                    });
                } else if (c == '"') {
                    rejectTrailing(raw.substring(i + 1));
                    return sb.toString();
                } else {
                    sb.append(c);
                }
            }
            throw new IllegalArgumentException("unterminated double quote; values cannot span lines");
        }
        // Unquoted: a # after whitespace starts a comment, as in the guide's "false  # Enable after testing".
        int hash = -1;
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '#' && (i == 0 || Character.isWhitespace(raw.charAt(i - 1)))) {
                hash = i;
                break;
            }
        }
        return (hash < 0 ? raw : raw.substring(0, hash)).strip();
    }

    private static void rejectTrailing(String rest) {
        String r = rest.strip();
        if (!r.isEmpty() && !r.startsWith("#")) {
            throw new IllegalArgumentException("unexpected text after the closing quote: " + r);
        }
    }
}
