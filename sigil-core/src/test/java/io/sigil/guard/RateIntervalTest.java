package io.sigil.guard;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class RateIntervalTest {
    @Test
    void wilsonIntervalMatchesTheFormula() {
        RateInterval i = RateInterval.wilson(27, 60);
        assertThat(i.rate()).isEqualTo(0.45);
        assertThat(i.low()).isCloseTo(0.3309, offset(1e-4));
        assertThat(i.high()).isCloseTo(0.5751, offset(1e-4));
        assertThat(i.describe()).isEqualTo("27/60 = 45.0 % [33.1, 57.5]");
    }

    @Test
    void zeroAndAllStayInsideZeroOne() {
        RateInterval none = RateInterval.wilson(0, 343);
        assertThat(none.low()).isZero();
        assertThat(none.high()).isCloseTo(0.0111, offset(1e-4));
        RateInterval all = RateInterval.wilson(87, 87);
        assertThat(all.high()).isEqualTo(1.0);
        assertThat(all.low()).isCloseTo(0.9577, offset(1e-4));
        assertThat(RateInterval.wilson(0, 0).describe()).isEqualTo("0/0");
    }
}
