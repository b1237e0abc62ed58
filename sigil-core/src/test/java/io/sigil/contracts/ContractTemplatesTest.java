package io.sigil.contracts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static io.sigil.contracts.ContractValidatorTest.json;
import static org.assertj.core.api.Assertions.assertThat;

class ContractTemplatesTest {
    private final ContractTemplates templates = new ContractTemplates(new ContractLoader());
    private final ContractValidator validator = new ContractValidator(true);

    static List<String> names() { return ContractTemplates.NAMES; }

    private Contract template(String name) { return templates.find(name).orElseThrow().contract(); }

    @ParameterizedTest
    @MethodSource("names")
    void eachTemplateLoadsWithoutErrorsAndItsExampleValidatesStrictly(String name) {
        LoadedContract l = templates.find(name).orElseThrow();
        assertThat(l.hasErrors()).as(l.describeIssues().toString()).isFalse();
        Contract c = l.contract();
        assertThat(c.name()).isEqualTo(name);
        ValidationResult r = validator.validate(c, c.example());
        assertThat(r.all()).as(name).isEmpty();
        assertThat(r.valid()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("names")
    void eachTemplatesExampleIsValidAgainstTheOutputSchemaGivenToProviders(String name) {
        Contract c = template(name);
        var schema = DeliverableSchema.of(OutputSchemas.of(c).schema()).compiled();
        assertThat(schema.validate(c.example())).isEmpty();
    }

    @Test
    void templatesCarryTheDesignsBudgetsAndStrategies() {
        assertThat(template("lead_qualification").constraints()).isEqualTo(new Constraints(0, 0, 5000, 5, 60, 0.8));
        assertThat(template("lead_qualification").failureStrategy()).isEqualTo(FailureStrategy.RETRY);
        assertThat(template("lead_qualification").maxRetries()).isEqualTo(2);
        assertThat(template("research_report").constraints().maxTotalTokens()).isEqualTo(8000);
        assertThat(template("research_report").failureStrategy()).isEqualTo(FailureStrategy.FALLBACK);
        assertThat(template("appointment_booking").constraints().maxTotalTokens()).isEqualTo(3000);
        assertThat(template("appointment_booking").maxRetries()).isEqualTo(3);
        assertThat(template("market_analysis").constraints().maxTotalTokens()).isEqualTo(10000);
        assertThat(template("market_analysis").failureStrategy()).isEqualTo(FailureStrategy.FALLBACK);
        assertThat(template("compliance_check").constraints().maxTotalTokens()).isEqualTo(6000);
        assertThat(template("compliance_check").failureStrategy()).isEqualTo(FailureStrategy.FAIL);
        assertThat(template("compliance_check").maxRetries()).isEqualTo(1);
    }

    private List<String> errorFields(String contract, String output) {
        return validator.validate(template(contract), json(output)).errors().stream().map(ValidationError::field).toList();
    }

    @Test
    void leadQualificationRejectsTypicalBadOutputs() {
        assertThat(errorFields("lead_qualification", """
                {"score": "high", "bant_assessment": {"budget": "yes", "authority": "", "need": "crm"},
                 "recommended_action": "call"}""")).containsExactly("score", "bant_assessment.authority",
                "bant_assessment.timeline", "bant_assessment", "recommended_action");
        assertThat(errorFields("lead_qualification", "{\"score\": 140}"))
                .containsExactly("score", "bant_assessment", "recommended_action");
    }

    @Test
    void researchReportRejectsShortSummaryAndEmptyLists() {
        assertThat(errorFields("research_report", "{\"summary\": \"too short\", \"sources\": [], \"key_findings\": [1]}"))
                .containsExactly("summary", "sources", "key_findings[0]");
    }

    @Test
    void appointmentBookingRejectsNonIsoDatesAndNonHttpLinks() {
        assertThat(errorFields("appointment_booking",
                "{\"booking_confirmed\": \"yes\", \"datetime\": \"next Tuesday 3pm\", \"meeting_link\": \"zoom 123\"}"))
                .containsExactly("booking_confirmed", "datetime", "meeting_link");
        assertThat(errorFields("appointment_booking",
                "{\"booking_confirmed\": true, \"datetime\": \"2025-03-14T15:00:00+01:00\"}")).isEmpty();
    }

    @Test
    void marketAnalysisChecksNestedObjectsAndEachCompetitor() {
        assertThat(errorFields("market_analysis", """
                {"market_size": {"value": -1, "currency": "dollars"},
                 "competitors": [{"name": "A", "market_share": 1.5}, {"market_share": 0.1}],
                 "opportunities": []}""")).containsExactly("market_size.value", "market_size.currency",
                "competitors[0].market_share", "competitors[1].name", "opportunities");
    }

    @Test
    void complianceCheckRejectsUnknownSeverities() {
        assertThat(errorFields("compliance_check", """
                {"is_compliant": false, "violations": [{"rule": "R1", "severity": "urgent", "description": "Data kept too long"}],
                 "recommendations": ["Delete old data"]}""")).containsExactly("violations[0].severity");
    }

    @Test
    void outputSchemaMirrorsTheDeliverables() {
        ObjectNode s = (ObjectNode) OutputSchemas.of(template("lead_qualification")).schema();
        assertThat(s.at("/properties/score/type").asText()).isEqualTo("integer");
        assertThat(s.at("/properties/bant_assessment/properties/budget/type").asText()).isEqualTo("string");
        assertThat(s.get("required")).hasSize(3);
        // Described once: simple rules as keywords, the others spelled out with an example beside them.
        assertThat(s.at("/properties/score/minimum").asInt()).isZero();
        assertThat(s.at("/properties/score/maximum").asInt()).isEqualTo(100);
        assertThat(s.at("/properties/score/description").asText()).doesNotContain("Rules");
        assertThat(s.at("/properties/score/examples").isMissingNode()).isTrue();
        assertThat(s.at("/properties/recommended_action/minLength").asInt()).isEqualTo(5);
        assertThat(s.at("/properties/bant_assessment/description").asText()).contains("Rules: 'budget' in value");
        assertThat(s.at("/properties/bant_assessment/examples/0/budget").asText()).startsWith("Approved");
        assertThat(s.at("/properties/recommended_action/examples").isMissingNode()).isTrue();
        assertThat(s.get("description").asText()).isEqualTo(template("lead_qualification").description());
        ObjectNode m = (ObjectNode) OutputSchemas.of(template("compliance_check")).schema();
        assertThat(m.at("/properties/violations/items/properties/severity/enum")).hasSize(4);
    }
}
