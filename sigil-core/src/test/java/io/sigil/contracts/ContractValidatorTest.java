package io.sigil.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.contracts.ValidationError.Reasons;
import io.sigil.llm.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ContractValidatorTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static Contract single(String type) {
        return Contract.builder("t").deliverable(Deliverable.builder("v", type)).build();
    }

    private static ValidationResult check(String type, String value) {
        return new ContractValidator().validate(single(type), json("{\"v\": " + value + "}"));
    }

    @ParameterizedTest(name = "{0} accepts {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "int        | 3                  | true",
            "int        | 3.5                | false",
            "int        | \"3\"              | false",
            "int        | true               | false",
            "float      | 3.5                | true",
            "float      | 3                  | true",
            "float      | \"3.5\"            | false",
            "str        | \"x\"              | true",
            "str        | 1                  | false",
            "bool       | false              | true",
            "bool       | 0                  | false",
            "dict       | {\"a\": 1}         | true",
            "dict       | [1]                | false",
            "list       | [1, \"a\"]         | true",
            "list       | {}                 | false",
            "any        | {\"a\": [1]}       | true",
            "any        | 7                  | true",
            "list[str]  | [\"a\", \"b\"]     | true",
            "list[str]  | [\"a\", 2]         | false",
            "list[int]  | []                 | true",
            "dict[str,int] | {\"a\": 1, \"b\": 2} | true",
            "dict[str,int] | {\"a\": 1, \"b\": \"x\"} | false",
            "dict[int,str] | {\"1\": \"a\"}  | true",
            "dict[int,str] | {\"one\": \"a\"} | false",
            "list[list[int]] | [[1], [2, 3]] | true",
            "list[list[int]] | [[1], [2, \"3\"]] | false",
            "list[dict[str,float]] | [{\"a\": 1.5}] | true",
    })
    void checksEveryType(String type, String value, boolean valid) {
        assertThat(check(type.strip(), value.strip()).valid()).isEqualTo(valid);
    }

    @Test
    void elementWiseErrorsCarryTheIndexOrKeyInThePath() {
        ValidationResult r = check("list[str]", "[\"a\", 2, \"c\", false]");
        assertThat(r.errors()).extracting(ValidationError::field).containsExactly("v[1]", "v[3]");
        assertThat(r.errors().getFirst().reason()).isEqualTo(Reasons.TYPE_MISMATCH);
        assertThat(r.errors().getFirst().expected()).isEqualTo("str");
        assertThat(r.errors().getFirst().actual()).isEqualTo("int 2");

        ValidationResult d = check("dict[str,list[int]]", "{\"a\": [1], \"b\": [1, \"x\"]}");
        assertThat(d.errors()).extracting(ValidationError::field).containsExactly("v.b[1]");
    }

    @Test
    void integralFloatForIntIsAWarningThatStrictModeTurnsIntoAFailure() {
        Contract c = single("int");
        ValidationResult lenient = new ContractValidator().validate(c, json("{\"v\": 85.0}"));
        assertThat(lenient.valid()).isTrue();
        assertThat(lenient.warnings()).extracting(ValidationError::reason).containsExactly(Reasons.COERCED);

        ValidationResult strict = new ContractValidator(true).validate(c, json("{\"v\": 85.0}"));
        assertThat(strict.valid()).isFalse();
        assertThat(strict.errors()).extracting(ValidationError::severity).containsExactly(ValidationError.Severity.ERROR);
        assertThat(strict.validDeliverables()).isEmpty();
    }

    @Test
    void unexpectedFieldsAreWarningsAndFailuresInStrictMode() {
        Contract c = single("int");
        ValidationResult lenient = new ContractValidator().validate(c, json("{\"v\": 1, \"extra\": 2}"));
        assertThat(lenient.valid()).isTrue();
        assertThat(lenient.warnings()).singleElement().satisfies(w -> {
            assertThat(w.field()).isEqualTo("extra");
            assertThat(w.reason()).isEqualTo(Reasons.UNEXPECTED);
            assertThat(w.suggestion()).contains("Remove 'extra'");
        });
        assertThat(new ContractValidator(true).validate(c, json("{\"v\": 1, \"extra\": 2}")).valid()).isFalse();
    }

    private static Contract lead() {
        return Contract.builder("lead")
                .deliverable(Deliverable.builder("score", "int").rule("0 <= value <= 100").example(50))
                .deliverable(Deliverable.builder("bant_assessment", "dict")
                        .field(Deliverable.builder("budget", "str").rule("len(value) > 0"))
                        .field(Deliverable.builder("authority", "str"))
                        .field(Deliverable.builder("need", "str").optional()))
                .deliverable(Deliverable.builder("recommended_action", "str").description("the next step"))
                .deliverable(Deliverable.builder("notes", "str").optional())
                .build();
    }

    @Test
    void reportsEveryErrorAtOnceWithPathsExpectedActualAndSuggestions() {
        ValidationResult r = new ContractValidator().validate(lead(),
                json("{\"score\": 150, \"bant_assessment\": {\"budget\": 5, \"need\": \"x\"}}"));

        assertThat(r.valid()).isFalse();
        assertThat(r.errors()).extracting(ValidationError::field, ValidationError::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("score", Reasons.RULE_FAILED + "0 <= value <= 100"),
                org.assertj.core.groups.Tuple.tuple("bant_assessment.budget", Reasons.TYPE_MISMATCH),
                org.assertj.core.groups.Tuple.tuple("bant_assessment.authority", Reasons.MISSING),
                org.assertj.core.groups.Tuple.tuple("recommended_action", Reasons.MISSING));
        ValidationError score = r.errors().getFirst();
        assertThat(score.expected()).isEqualTo("0 <= value <= 100");
        assertThat(score.actual()).isEqualTo("int 150");
        assertThat(score.suggestion()).contains("e.g. 50");
        assertThat(r.errors().get(3).suggestion()).contains("Add 'recommended_action' (str): the next step");
        assertThat(r.errors()).allMatch(e -> e.severity() == ValidationError.Severity.ERROR);
        assertThat(r.validDeliverables()).isEmpty();
    }

    @Test
    void optionalDeliverablesMayBeAbsentOrNullButAreCheckedWhenPresent() {
        String base = "\"score\": 1, \"bant_assessment\": {\"budget\": \"b\", \"authority\": \"a\"}, \"recommended_action\": \"call\"";
        assertThat(new ContractValidator().validate(lead(), json("{" + base + "}")).valid()).isTrue();
        assertThat(new ContractValidator().validate(lead(), json("{" + base + ", \"notes\": null}")).valid()).isTrue();
        ValidationResult r = new ContractValidator().validate(lead(), json("{" + base + ", \"notes\": 3}"));
        assertThat(r.errors()).extracting(ValidationError::field).containsExactly("notes");
        assertThat(r.validDeliverables()).containsExactlyInAnyOrder("score", "bant_assessment", "recommended_action");
    }

    @Test
    void nestedFieldsApplyToEachElementOfAListOfObjects() {
        Contract c = Contract.builder("c").deliverable(Deliverable.builder("competitors", "list[dict]")
                .field(Deliverable.builder("name", "str"))
                .field(Deliverable.builder("share", "float").optional().rule("0 <= value <= 1"))).build();
        ValidationResult r = new ContractValidator().validate(c,
                json("{\"competitors\": [{\"name\": \"a\"}, {\"share\": 2}, 5]}"));
        assertThat(r.errors()).extracting(ValidationError::field)
                .containsExactly("competitors[1].name", "competitors[1].share", "competitors[2]");
    }

    @Test
    void rulesOfAValueWithTheWrongTypeAreNotRun() {
        Contract c = Contract.builder("c").deliverable(Deliverable.builder("s", "str").rule("len(value) > 3")).build();
        ValidationResult r = new ContractValidator().validate(c, json("{\"s\": 12}"));
        assertThat(r.errors()).extracting(ValidationError::reason).containsExactly(Reasons.TYPE_MISMATCH);
    }

    @Test
    void enumsAcceptOnlyListedValuesAndCompareNumbersByValue() {
        Contract c = Contract.builder("c")
                .deliverable(Deliverable.builder("level", "str").allowedValues("low", "high"))
                .deliverable(Deliverable.builder("tier", "int").allowedValues(1, 2)).build();
        assertThat(new ContractValidator().validate(c, json("{\"level\": \"low\", \"tier\": 2}")).valid()).isTrue();
        ValidationResult r = new ContractValidator().validate(c, json("{\"level\": \"mid\", \"tier\": 3}"));
        assertThat(r.errors()).extracting(ValidationError::field, ValidationError::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("level", Reasons.NOT_ALLOWED),
                org.assertj.core.groups.Tuple.tuple("tier", Reasons.NOT_ALLOWED));
        assertThat(r.errors().getFirst().expected()).isEqualTo("one of [\"low\", \"high\"]");
    }

    @Test
    void jsonSchemaOfADeliverableIsEnforcedWithInstancePaths() {
        Contract c = Contract.builder("c").deliverable(Deliverable.builder("address", "dict").jsonSchema(json(
                "{\"type\":\"object\",\"required\":[\"zip\"],\"properties\":{\"zip\":{\"type\":\"string\",\"pattern\":\"^[0-9]{5}$\"}}}")))
                .build();
        assertThat(new ContractValidator().validate(c, json("{\"address\": {\"zip\": \"12345\"}}")).valid()).isTrue();
        ValidationResult r = new ContractValidator().validate(c, json("{\"address\": {\"zip\": \"12\"}}"));
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(Reasons.SCHEMA);
            assertThat(e.field()).isEqualTo("address.zip");
            assertThat(e.actual()).contains("pattern");
        });
    }

    @Test
    void jsonSchemasMayUseLocalDefinitionsButNeverFetchExternalOnes() {
        Contract local = Contract.builder("c").deliverable(Deliverable.builder("n", "any").jsonSchema(json(
                "{\"$defs\":{\"pos\":{\"type\":\"integer\",\"minimum\":1}},\"$ref\":\"#/$defs/pos\"}"))).build();
        assertThat(new ContractValidator().validate(local, json("{\"n\": 3}")).valid()).isTrue();
        assertThat(new ContractValidator().validate(local, json("{\"n\": 0}")).valid()).isFalse();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Deliverable.builder("n", "any")
                        .jsonSchema(json("{\"$ref\":\"http://127.0.0.1:9/schema.json\"}")))
                .hasMessageContaining("http://127.0.0.1:9/schema.json");
    }

    @Test
    void outputTokensOverTheLimitAreATokenLimitError() {
        Contract c = Contract.builder("c").deliverable(Deliverable.builder("v", "int"))
                .constraints(new Constraints(0, 100, 0, 0, 0, 0.8)).build();
        ValidationResult r = new ContractValidator().validate(c, json("{\"v\": 1}"), Usage.of(10, 150));
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(Reasons.TOKEN_LIMIT);
            assertThat(e.expected()).isEqualTo("at most 100 output tokens");
            assertThat(e.actual()).isEqualTo("150 output tokens");
        });
    }

    @Test
    void nonObjectOutputAndTextWithoutJsonAreReported() {
        Contract c = single("int");
        assertThat(new ContractValidator().validate(c, json("[1]")).errors())
                .extracting(ValidationError::reason).containsExactly(Reasons.NOT_JSON);
        ValidationResult text = new ContractValidator().validateText(c, "I could not do it.");
        assertThat(text.valid()).isFalse();
        assertThat(text.output()).isNull();
        assertThat(text.errors().getFirst().actual()).contains("no JSON object");
    }

    @Test
    void describeIsOneReadableLine() {
        ValidationError e = new ValidationError("bant_assessment.budget", Reasons.TYPE_MISMATCH, "str", "int 5",
                ValidationError.Severity.ERROR, "Give it as str.");
        assertThat(e.describe()).isEqualTo("bant_assessment.budget: Type mismatch (expected str, got int 5)");
        assertThat(List.of(e)).hasSize(1);
    }
}
