package io.sigil.guard;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogisticRegressionTest {

    /** Label = x0 > 5 with one noisy row; x1 is noise on another scale; x2 constant. */
    private static final double[][] X = {
            {1, 300, 7}, {2, 100, 7}, {3, 250, 7}, {4, 120, 7}, {4.5, 200, 7}, {6, 110, 7}, {5.5, 260, 7},
            {7, 180, 7}, {8, 90, 7}, {9, 310, 7}, {3.5, 150, 7}};
    private static final boolean[] Y = {false, false, false, false, false, true, true, true, true, true, true};

    @Test
    void learnsTheSeparatingDirectionOnRawFeatures() {
        LogisticRegression.Model m = new LogisticRegression(1, 50, 1e-10).fit(X, Y);
        assertThat(m.weights()[0]).isPositive();
        assertThat(Math.abs(m.weights()[1])).isLessThan(m.weights()[0] / 10); // noise gets little weight
        assertThat(m.weights()[2]).isZero();                                    // a constant feature none
        assertThat(m.probability(new double[] {9.5, 200, 7})).isGreaterThan(0.8);
        assertThat(m.probability(new double[] {0.5, 200, 7})).isLessThan(0.2);
    }

    @Test
    void strongerPenaltyShrinksTheWeights() {
        double loose = new LogisticRegression(0.1, 50, 1e-10).fit(X, Y).weights()[0];
        double tight = new LogisticRegression(10, 50, 1e-10).fit(X, Y).weights()[0];
        assertThat(tight).isLessThan(loose).isPositive();
    }

    @Test
    void theSameRowsGiveBitIdenticalWeights() {
        var a = new LogisticRegression(3, 50, 1e-10).fit(X, Y);
        var b = new LogisticRegression(3, 50, 1e-10).fit(X, Y);
        assertThat(a.weights()).containsExactly(b.weights());
        assertThat(Double.doubleToRawLongBits(a.bias())).isEqualTo(Double.doubleToRawLongBits(b.bias()));
    }

    @Test
    void theOptimumHasAZeroGradient() {
        double l2 = 2;
        LogisticRegression.Model m = new LogisticRegression(l2, 50, 1e-12).fit(X, Y);
        // The bias is not penalised, so at the optimum the predicted probabilities sum to the number of positives.
        double sum = 0;
        for (double[] row : X) sum += m.probability(row);
        assertThat(sum).isCloseTo(6.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void rejectsBadSettingsAndInput() {
        assertThatThrownBy(() -> new LogisticRegression(0, 10, 1e-9)).hasMessageContaining("l2");
        assertThatThrownBy(() -> new LogisticRegression(1, 10, 1e-9).fit(new double[0][], new boolean[0]))
                .hasMessageContaining("rows");
    }
}
