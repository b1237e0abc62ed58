package io.sigil.contracts.rules;

import io.sigil.errors.InvalidInputError;

import java.util.Map;

/** A rule that does not parse: says where (0-based column) and what was expected, with a caret under the spot. */
public final class RuleSyntaxError extends InvalidInputError {
    private final String rule;
    private final int position;

    RuleSyntaxError(String rule, int position, String problem) {
        super("Rule '" + rule + "' has a syntax error at position " + position + ": " + problem
                        + "\n    " + rule + "\n    " + " ".repeat(Math.max(0, position)) + "^",
                "Rules are expressions over 'value', e.g. '0 <= value <= 100', 'len(value) > 0', "
                        + "\"'budget' in value\"; see docs/contracts.md for the rule language.",
                Map.of("rule", rule, "position", position), false, null);
        this.rule = rule;
        this.position = position;
    }

    public String rule() { return rule; }

    /** 0-based character offset of the problem in the rule. */
    public int position() { return position; }
}
