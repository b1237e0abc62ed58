package io.sigil.contracts.rules;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * A validation rule: an expression over {@code value}, parsed once when the rule is created and evaluated by a
 * small interpreter (no script engine, no reflection, no access to anything but the value). The rule passes when
 * the expression is truthy.
 */
public final class Rule {
    private final String source;
    private final Expr expr;

    private Rule(String source, Expr expr) {
        this.source = source;
        this.expr = expr;
    }

    /** Parses a rule; a malformed rule is a {@link RuleSyntaxError} naming the position. */
    public static Rule parse(String source) {
        Objects.requireNonNull(source, "rule");
        return new Rule(source, new Parser(source.strip()).parse());
    }

    public String source() { return source; }

    /** Evaluates the rule against a value of the output. Never throws for ill-typed values: that is a failure. */
    public Outcome test(JsonNode value) {
        try {
            return Interpreter.truthy(Interpreter.eval(expr, value)) ? Outcome.PASSED : new Outcome(false, null);
        } catch (Interpreter.EvaluationException | ArithmeticException e) {
            return new Outcome(false, e.getMessage());
        }
    }

    /** Whether a rule held; {@code problem} explains a failure that was an evaluation error (else null). */
    public record Outcome(boolean passed, String problem) {
        static final Outcome PASSED = new Outcome(true, null);
    }

    @Override
    public boolean equals(Object o) { return o instanceof Rule r && r.source.equals(source); }

    @Override
    public int hashCode() { return source.hashCode(); }

    @Override
    public String toString() { return source; }
}
