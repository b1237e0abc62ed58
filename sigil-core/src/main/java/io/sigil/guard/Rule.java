package io.sigil.guard;

import java.util.regex.Pattern;

/**
 * A pattern over normalized text (see {@link TextNormalizer}) and how much its match says about an injection.
 *
 * @param name    stable signal name, {@code family.what}
 * @param family  the attack family
 * @param weight  the score it contributes on its own, in (0, 1]
 * @param pattern matched against the normalized text
 */
public record Rule(String name, Signal.Family family, double weight, Pattern pattern) {
    public Rule {
        if (!(weight > 0 && weight <= 1)) throw new IllegalArgumentException("weight must be in (0, 1]: " + weight);
    }
}
