package io.sigil.guard;

/**
 * One piece of evidence of an injection attempt.
 *
 * @param name   the rule that fired, e.g. {@code override.previous_instructions}
 * @param family what kind of attack it indicates
 * @param weight how strongly it indicates one on its own, in (0, 1]
 * @param start  start of the matched span in the original text
 * @param end    end (exclusive) of the matched span in the original text
 * @param match  the matched span as written in the original text
 */
public record Signal(String name, Family family, double weight, int start, int end, String match) {

    /** The closed set of attack families the detector knows. */
    public enum Family {
        /** "ignore / forget previous instructions" and the like. */
        INSTRUCTION_OVERRIDE,
        /** "new instructions follow", "your instructions are now", task switching. */
        NEW_INSTRUCTIONS,
        /** Asking for the system prompt or hidden instructions. */
        PROMPT_EXFILTRATION,
        /** "you are now ...", "act as ...", persona takeover. */
        ROLE_HIJACK,
        /** DAN / developer mode / "no restrictions" jailbreaks. */
        JAILBREAK,
        /** Fake role tags, chat-template tokens, "system:" lines. */
        ROLE_TAG_INJECTION,
        /** Dictating the output: "just say X", "repeat after me", "do not answer the question". */
        OUTPUT_MANIPULATION,
        /** "Do not use the provided documents": cutting the model off from its context. */
        CONTEXT_DISMISSAL,
        /** A base64 or hex payload that decodes to an injection. */
        ENCODED_PAYLOAD,
        /** Evasion: spaced-out letters, mixed scripts, invisible characters inside words. */
        OBFUSCATION
    }

    public Signal {
        if (!(weight > 0 && weight <= 1)) throw new IllegalArgumentException("weight must be in (0, 1]: " + weight);
    }
}
