package io.sigil.guard;

import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quality regression: the built-in detector on the development set and on Sigil's own benign and attack sets.
 * The floors are the measured numbers (docs/security.md) rounded down; the benign ceiling is the 1% target.
 */
class GuardQualityTest {
    private final RuleBasedDetector detector = new RuleBasedDetector();

    private static LabelledSet load(String name) throws URISyntaxException {
        return LabelledSet.read(Path.of(Objects.requireNonNull(GuardQualityTest.class.getResource("/guard/" + name)).toURI()));
    }

    @Test
    void developmentSet() throws Exception {
        Evaluation e = Evaluation.of(detector, load("deepset-train.jsonl"));
        assertThat(e.problems()).isEmpty();
        assertThat(e.total()).isEqualTo(546);
        assertThat(e.falsePositiveRate()).isLessThanOrEqualTo(0.01);
        assertThat(e.truePositiveRate()).isGreaterThanOrEqualTo(0.55);
        assertThat(e.precision()).isGreaterThanOrEqualTo(0.97);
    }

    @Test
    void ownBenignSetStaysUnderOnePercentFalsePositives() throws Exception {
        Evaluation e = Evaluation.of(detector, load("benign-own.jsonl"));
        assertThat(e.negatives()).isGreaterThanOrEqualTo(250);
        assertThat(e.falsePositiveRate()).as("false alarms on lines %s", e.falseAlarms()).isLessThanOrEqualTo(0.01);
    }

    @Test
    void ownAttackSetIsMostlyCaught() throws Exception {
        Evaluation e = Evaluation.of(detector, load("attacks-own.jsonl"));
        assertThat(e.positives()).isGreaterThanOrEqualTo(80);
        assertThat(e.truePositiveRate()).as("missed lines %s", e.missed()).isGreaterThanOrEqualTo(0.95);
    }
}
