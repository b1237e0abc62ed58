package io.sigil.approval;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.errors.InvalidInputError;

/**
 * A human's decision on one held call: approve (optionally with edited arguments, a JSON object) or deny (with an
 * optional reason the model gets as the call's result).
 */
public record ApprovalDecision(boolean approve, JsonNode arguments, String reason) {
    public static final int MAX_REASON_CHARS = 2_000;

    public ApprovalDecision {
        if (arguments != null && arguments.isNull()) arguments = null;
        if (arguments != null && !approve) {
            throw new InvalidInputError("arguments: only an approval can change the call's arguments",
                    "leave arguments out when you deny a call");
        }
        if (arguments != null && !arguments.isObject()) {
            throw new InvalidInputError("arguments: must be a JSON object, got " + arguments.getNodeType().name()
                    .toLowerCase(java.util.Locale.ROOT), "send the tool's arguments as an object, e.g. {\"to\": \"...\"}");
        }
        if (reason != null && reason.length() > MAX_REASON_CHARS) {
            throw new InvalidInputError("reason: longer than " + MAX_REASON_CHARS + " characters", "shorten the reason");
        }
        if (reason != null && reason.isBlank()) reason = null;
    }

    /** {@code approve} or {@code deny}; anything else is the caller's mistake. */
    public static ApprovalDecision of(String decision, JsonNode arguments, String reason) {
        if ("approve".equals(decision)) return new ApprovalDecision(true, arguments, reason);
        if ("deny".equals(decision)) return new ApprovalDecision(false, arguments, reason);
        throw new InvalidInputError("decision: '" + decision + "' is neither approve nor deny",
                "send {\"decision\": \"approve\"} or {\"decision\": \"deny\", \"reason\": \"...\"}");
    }
}
