package io.sigil.evolution;

import io.sigil.errors.InvalidInputError;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The cases split into training (what candidates are searched on) and held-out (what the gates are checked on).
 * Deterministic for a seed: the cases are ordered by a hash of their id and the seed, and the first
 * {@code ceil(share x n)} (at least one, leaving at least one for training) are held out.
 */
public record Split(List<TestCase> train, List<TestCase> heldOut) {
    public Split {
        train = List.copyOf(train);
        heldOut = List.copyOf(heldOut);
    }

    public static Split of(List<TestCase> cases, double share, long seed) {
        if (cases.size() < 2) {
            throw new InvalidInputError("Optimising needs at least 2 test cases (one to train on, one held out), found "
                    + cases.size(), "Add cases (see docs/evolution.md) or make them from sessions: sigil evolve cases <agent> --from-sessions");
        }
        List<TestCase> order = new ArrayList<>(cases);
        order.sort(Comparator.comparingLong((TestCase c) -> mix(c.id().hashCode() ^ seed)).thenComparing(TestCase::id));
        int held = Math.max(1, Math.min(cases.size() - 1, (int) Math.ceil(share * cases.size())));
        return new Split(order.subList(held, order.size()), order.subList(0, held));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
