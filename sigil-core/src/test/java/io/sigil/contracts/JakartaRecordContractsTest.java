package io.sigil.contracts;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The real Jakarta Bean Validation annotations (a test-only dependency) become contract rules. */
class JakartaRecordContractsTest {
    record Offer(@Min(0) @Max(100) int score,
                 @DecimalMax(value = "0.5", inclusive = false) double discount,
                 @NotBlank @Size(min = 5, max = 80) String action,
                 @Pattern(regexp = "[A-Z]{3}") String currency,
                 @PositiveOrZero long seats) { }

    private static final ContractValidator VALIDATOR = new ContractValidator();

    @Test
    void jakartaConstraintsBecomeRules() {
        Contract c = Contract.fromRecord(Offer.class);

        assertThat(c.deliverable("score").orElseThrow().rules()).hasSize(2);
        assertThat(VALIDATOR.validate(c, Json.node(offer(72, 0.2, "Book a demo", "EUR", 3))).valid()).isTrue();
        assertThat(errors(c, offer(101, 0.5, "Go", "eur", -1)))
                .containsExactlyInAnyOrder("score", "discount", "action", "currency", "seats");
        assertThat(errors(c, offer(-1, 0.1, "     ", "EUR", 0))).containsExactlyInAnyOrder("score", "action");
    }

    private static List<String> errors(Contract c, Map<String, Object> output) {
        return VALIDATOR.validate(c, Json.node(output)).errors().stream().map(ValidationError::field).distinct().toList();
    }

    private static Map<String, Object> offer(int score, double discount, String action, String currency, long seats) {
        return Map.of("score", score, "discount", discount, "action", action, "currency", currency, "seats", seats);
    }
}
