package io.sigil.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.contracts.rules.Rule;

import java.util.List;

/**
 * The prompts of a contract execution. The first attempt gets the task; each retry gets a stricter prompt
 * (sigil-design.md section 8): (1) the errors listed, (2) plus the expected format with types and an example,
 * (3) plus a JSON template to fill in. A retry prompt carries only the latest attempt's errors, so the context
 * stays the same size however many attempts there are. When the request carries the output schema (native
 * structured output), the deliverables are described there once: no system prompt repeats them, and retries carry
 * only the previous answer and its errors.
 */
public final class RetryPrompts {
    /** At most this many errors are listed in a retry prompt (the rest are counted). */
    static final int MAX_LISTED_ERRORS = 20;
    /** The previous answer is shown to the model cut to this many characters. */
    static final int MAX_PREVIOUS_OUTPUT_CHARS = 2_000;

    private RetryPrompts() { }

    public enum Level {
        INITIAL, ERRORS, FORMAT, TEMPLATE;

        /** The prompt of retry number {@code retry} (1-based): 1 lists errors, 2 adds the format, 3+ the template. */
        static Level forRetry(int retry) {
            return retry <= 1 ? ERRORS : retry == 2 ? FORMAT : TEMPLATE;
        }
    }

    static String system(Contract c) {
        StringBuilder sb = new StringBuilder();
        sb.append("You produce the deliverables of the contract '").append(c.name()).append("'");
        if (!c.description().isEmpty()) sb.append(": ").append(c.description());
        sb.append(".\nAnswer with a single JSON object and nothing else (no prose, no code fences). Fields:\n");
        appendFormat(sb, c.deliverables(), "");
        return sb.toString();
    }

    static String retry(Contract c, Level level, List<ValidationError> latestErrors) {
        return retry(c, level, latestErrors, false);
    }

    /** @param formatInRequest the request carries the output schema: the format is not repeated */
    static String retry(Contract c, Level level, List<ValidationError> latestErrors, boolean formatInRequest) {
        StringBuilder sb = new StringBuilder();
        sb.append("Your previous answer does not satisfy the contract '").append(c.name()).append("'. ");
        sb.append(switch (level) {
            case ERRORS, INITIAL -> "Fix these errors and answer again with the corrected JSON object only:\n";
            case FORMAT -> "This is the second correction. Fix these errors:\n";
            case TEMPLATE -> "This is the last attempt. Fix these errors:\n";
        });
        int listed = 0;
        for (ValidationError e : latestErrors) {
            if (listed++ == MAX_LISTED_ERRORS) {
                sb.append("- ... and ").append(latestErrors.size() - MAX_LISTED_ERRORS).append(" more\n");
                break;
            }
            sb.append("- ").append(e.describe());
            if (e.suggestion() != null) sb.append(". ").append(e.suggestion());
            sb.append('\n');
        }
        if (formatInRequest) return sb.toString();
        if (level == Level.FORMAT) {
            sb.append("\nThe answer must be exactly one JSON object with these fields and types:\n");
            appendFormat(sb, c.deliverables(), "");
            ObjectNode example = c.example();
            if (!example.isEmpty()) sb.append("\nExample of a valid answer:\n").append(pretty(example)).append('\n');
        } else if (level == Level.TEMPLATE) {
            sb.append("\nFill in this JSON template: replace every \"<...>\" placeholder with a real value of the ")
                    .append("stated type that satisfies the stated rules, keep the keys, and answer with the JSON only:\n")
                    .append(pretty(template(c.deliverables())));
        }
        return sb.toString();
    }

    private static void appendFormat(StringBuilder sb, List<Deliverable> ds, String indent) {
        for (Deliverable d : ds) {
            sb.append(indent).append("- ").append(d.name()).append(" (").append(d.type())
                    .append(d.required() ? ", required" : ", optional").append(')');
            if (!d.description().isEmpty()) sb.append(": ").append(d.description());
            if (!d.allowedValues().isEmpty()) sb.append("; one of ").append(d.allowedValues());
            if (!d.rules().isEmpty()) sb.append("; rules: ").append(String.join(" ; ", d.rules().stream().map(Rule::source).toList()));
            sb.append('\n');
            if (!d.fields().isEmpty()) appendFormat(sb, d.fields(), indent + "  ");
        }
    }

    /** A JSON object with a placeholder per field ({@code "<int: 0 <= value <= 100>"}), nested for object fields. */
    static ObjectNode template(List<Deliverable> ds) {
        ObjectNode t = Json.MAPPER.createObjectNode();
        for (Deliverable d : ds) {
            JsonNode slot;
            if (!d.fields().isEmpty() && d.type().isObject()) {
                slot = template(d.fields());
            } else if (!d.fields().isEmpty() && d.type() instanceof TypeSpec.ListOf) {
                slot = Json.MAPPER.createArrayNode().add(template(d.fields()));
            } else {
                StringBuilder p = new StringBuilder("<").append(d.type());
                if (!d.allowedValues().isEmpty()) p.append(", one of ").append(d.allowedValues());
                for (Rule r : d.rules()) p.append(", ").append(r.source());
                if (!d.required()) p.append(", optional");
                slot = Json.MAPPER.getNodeFactory().textNode(p.append('>').toString());
            }
            t.set(d.name(), slot);
        }
        return t;
    }

    static String previousOutput(String raw) {
        if (raw == null) return "";
        return raw.length() <= MAX_PREVIOUS_OUTPUT_CHARS ? raw
                : raw.substring(0, MAX_PREVIOUS_OUTPUT_CHARS) + "\n[... cut at " + MAX_PREVIOUS_OUTPUT_CHARS + " characters]";
    }

    private static String pretty(JsonNode n) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            return n.toString();
        }
    }
}
