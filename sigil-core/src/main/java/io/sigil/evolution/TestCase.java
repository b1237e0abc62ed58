package io.sigil.evolution;

import java.util.Objects;

/**
 * One evaluation case of an agent: the message it is sent, what its output should be ({@code expected}, optional),
 * how much the case counts ({@code weight}) and whether the agent's contract judges it ({@code useContract}).
 * A case with neither an expectation nor a contract to judge it is refused when it is loaded.
 *
 * @param id       stable id (the line or entry of its file, or {@code session:<id>} for a recorded session)
 * @param contract the contract that judges it instead of the agent's; null: the agent's own
 */
public record TestCase(String id, String input, Expected expected, double weight, String contract, boolean useContract) {
    public TestCase {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(input, "input");
        if (input.isBlank()) throw new IllegalArgumentException("case " + id + ": input is empty");
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("case " + id + ": weight must be a positive number, got " + weight);
        }
    }

    /** A case judged by the agent's contract alone. */
    public static TestCase ofContract(String id, String input) { return new TestCase(id, input, null, 1.0, null, true); }

    /** A case judged by {@code expected} and, when the agent has one, its contract. */
    public static TestCase of(String id, String input, Expected expected) {
        return new TestCase(id, input, expected, 1.0, null, true);
    }

    public TestCase withWeight(double w) { return new TestCase(id, input, expected, w, contract, useContract); }
}
