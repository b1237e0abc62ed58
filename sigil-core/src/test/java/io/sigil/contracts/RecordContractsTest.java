package io.sigil.contracts;

import io.sigil.errors.InvalidInputError;
import io.sigil.llm.test.TestModel;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RecordContractsTest {
    /** Stand-ins named like Jakarta Bean Validation's: Sigil reads them by simple name, not by type. */
    @Retention(RetentionPolicy.RUNTIME) @interface Min { long value(); }
    @Retention(RetentionPolicy.RUNTIME) @interface Max { long value(); }
    @Retention(RetentionPolicy.RUNTIME) @interface NotBlank { }
    @Retention(RetentionPolicy.RUNTIME) @interface Size { int min() default 0; int max() default Integer.MAX_VALUE; }
    @Retention(RetentionPolicy.RUNTIME) @interface Pattern { String regexp(); }

    enum Action { BOOK_DEMO, NURTURE, DISQUALIFY }

    record Bant(@NotBlank String budget, @NotBlank String authority, @NotBlank String need, @NotBlank String timeline) { }

    @Describe("Qualify a sales lead")
    record LeadQualification(@Min(0) @Max(100) int score,
                             Bant bantAssessment,
                             Action recommendedAction,
                             @Describe(value = "Why", rules = "len(value) >= 5", example = "\"Budget approved\"") String reason,
                             @Size(max = 3) List<String> tags,
                             @Pattern(regexp = "[A-Z]{2}") Optional<String> country) { }

    @Test
    void derivesNamesTypesRulesAndRequirednessFromTheRecord() {
        Contract c = Contract.fromRecord(LeadQualification.class);

        assertThat(c.name()).isEqualTo("lead_qualification");
        assertThat(c.description()).isEqualTo("Qualify a sales lead");
        assertThat(c.deliverables()).extracting(Deliverable::name)
                .containsExactly("score", "bant_assessment", "recommended_action", "reason", "tags", "country");
        Deliverable score = c.deliverable("score").orElseThrow();
        assertThat(score.type()).isEqualTo(TypeSpec.INT);
        assertThat(score.rules()).extracting(Object::toString).hasSize(2);
        Deliverable bant = c.deliverable("bant_assessment").orElseThrow();
        assertThat(bant.type().isObject()).isTrue();
        assertThat(bant.fields()).extracting(Deliverable::name).containsExactly("budget", "authority", "need", "timeline");
        assertThat(c.deliverable("recommended_action").orElseThrow().allowedValues()).extracting(n -> n.asText())
                .containsExactly("BOOK_DEMO", "NURTURE", "DISQUALIFY");
        Deliverable reason = c.deliverable("reason").orElseThrow();
        assertThat(reason.description()).isEqualTo("Why");
        assertThat(reason.example().asText()).isEqualTo("Budget approved");
        assertThat(c.deliverable("tags").orElseThrow().type()).isEqualTo(new TypeSpec.ListOf(TypeSpec.STR));
        assertThat(c.deliverable("country").orElseThrow().required()).isFalse();
        assertThat(c.required()).hasSize(5);
    }

    @Test
    void theDerivedRulesRejectWhatTheAnnotationsForbid() {
        Contract c = Contract.fromRecord(LeadQualification.class);
        var validator = new ContractValidator();
        Map<String, Object> good = Map.of("score", 72, "bant_assessment", bant("50k"), "recommended_action", "BOOK_DEMO",
                "reason", "Budget approved", "tags", List.of("a"), "country", "DE");
        Map<String, Object> bad = Map.of("score", 140, "bant_assessment", bant(" "), "recommended_action", "CALL",
                "reason", "ok", "tags", List.of("a", "b", "c", "d"), "country", "Germany");

        assertThat(validator.validate(c, Json.node(good)).valid()).isTrue();
        assertThat(validator.validate(c, Json.node(bad)).errors()).extracting(ValidationError::field)
                .contains("score", "bant_assessment.budget", "recommended_action", "reason", "tags", "country");
    }

    @Test
    void bindsTheOutputBackToTheRecord() {
        Contract c = Contract.fromRecord(LeadQualification.class);
        var model = TestModel.queueText("""
                {"score": 140, "bant_assessment": {"budget": "50k", "authority": "VP", "need": "routing", "timeline": "Q3"},
                 "recommended_action": "BOOK_DEMO", "reason": "Budget approved", "tags": []}""", """
                {"score": 72, "bant_assessment": {"budget": "50k", "authority": "VP", "need": "routing", "timeline": "Q3"},
                 "recommended_action": "BOOK_DEMO", "reason": "Budget approved", "tags": ["inbound"], "country": "DE"}""");

        ContractResult result = ContractExecutor.builder(model).build().execute(c, "Qualify ACME");
        LeadQualification lead = result.as(LeadQualification.class);

        assertThat(result.valid()).isTrue();
        assertThat(result.attempts()).hasSize(2);
        assertThat(lead).isEqualTo(new LeadQualification(72, new Bant("50k", "VP", "routing", "Q3"), Action.BOOK_DEMO,
                "Budget approved", List.of("inbound"), Optional.of("DE")));
    }

    record Other(int count) { }

    @Test
    void aMismatchNamesThePathAndTheFix() {
        var result = ContractExecutor.builder(TestModel.queueText("{\"count\": \"many\"}"))
                .build().execute(Contract.builder("loose").deliverable(Deliverable.builder("count", "any")).build(), "x");

        InvalidInputError e = catchThrowableOfType(InvalidInputError.class, () -> result.as(Other.class));

        assertThat(e.getMessage()).contains("'loose'").contains("Other").contains("count");
        assertThat(e.hint()).contains("Contract.fromRecord(Other.class)");
    }

    record Node(String name, List<Node> children) { }

    record WithObject(Object anything, Map<Integer, String> byNumber) { }

    @Test
    void refusesTypesWithoutAContractShapeWithAClearError() {
        assertThat(catchThrowableOfType(InvalidInputError.class, () -> Contract.fromRecord(Node.class)).getMessage())
                .contains("contains itself");
        assertThat(catchThrowableOfType(InvalidInputError.class, () -> Contract.fromRecord(WithObject.class)).hint())
                .contains("Map<String, V>");
    }

    @Test
    void snakeCasesJavaNames() {
        assertThat(RecordContracts.snakeCase("recommendedAction")).isEqualTo("recommended_action");
        assertThat(RecordContracts.snakeCase("LeadQualification")).isEqualTo("lead_qualification");
        assertThat(RecordContracts.snakeCase("httpURLValue")).isEqualTo("http_url_value");
        assertThat(RecordContracts.snakeCase("score2")).isEqualTo("score2");
    }

    private static Map<String, Object> bant(String budget) {
        return Map.of("budget", budget, "authority", "VP", "need", "routing", "timeline", "Q3");
    }
}
