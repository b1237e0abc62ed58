package io.sigil.contracts;

import io.sigil.contracts.rules.RuleSyntaxError;
import io.sigil.errors.InvalidInputError;
import io.sigil.errors.NotFoundError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContractLoaderTest {
    private final ContractLoader loader = new ContractLoader(2, FailureStrategy.RETRY);

    @Test
    void readsYamlWithEveryPart() {
        String yaml = """
                name: quote
                description: A price quote
                version: 2.1.0
                deliverables:
                  - name: price
                    type: float
                    rules: ["value > 0"]
                    example: 9.5
                  - name: currency
                    type: str
                    enum: [EUR, USD]
                  - name: items
                    type: list[dict]
                    required: false
                    fields:
                      - {name: sku, type: str}
                  - name: extra
                    type: dict
                    required: false
                    json_schema: {type: object}
                constraints: {max_total_tokens: 4000, max_input_tokens: 1000, max_output_tokens: 500, max_tool_calls: 3, timeout_seconds: 30, warn_threshold: 0.9}
                failure_strategy: fallback
                max_retries: 3
                metadata: {owner: sales}
                """;
        LoadedContract l = loader.load(yaml, "quote.yaml");
        Contract c = l.contract();
        assertThat(c.name()).isEqualTo("quote");
        assertThat(c.version()).isEqualTo("2.1.0");
        assertThat(c.deliverables()).extracting(Deliverable::name).containsExactly("price", "currency", "items", "extra");
        assertThat(c.deliverable("price").orElseThrow().rules().getFirst().source()).isEqualTo("value > 0");
        assertThat(c.deliverable("items").orElseThrow().type()).isEqualTo(new TypeSpec.ListOf(TypeSpec.DICT));
        assertThat(c.deliverable("items").orElseThrow().fields()).extracting(Deliverable::name).containsExactly("sku");
        assertThat(c.deliverable("extra").orElseThrow().schema()).isNotNull();
        assertThat(c.constraints()).isEqualTo(new Constraints(1000, 500, 4000, 3, 30, 0.9));
        assertThat(c.failureStrategy()).isEqualTo(FailureStrategy.FALLBACK);
        assertThat(c.maxRetries()).isEqualTo(3);
        assertThat(c.metadata()).containsEntry("owner", "sales");
        assertThat(l.issues()).isEmpty();
    }

    @Test
    void readsJsonAndTheMappingFormAndAppliesSettingsDefaults() {
        String json = "{\"name\": \"j\", \"deliverables\": {\"ok\": {\"type\": \"bool\"}}}";
        Contract c = new ContractLoader(4, FailureStrategy.FALLBACK).load(json, "j.json").contract();
        assertThat(c.deliverables()).extracting(Deliverable::name).containsExactly("ok");
        assertThat(c.maxRetries()).isEqualTo(4);
        assertThat(c.failureStrategy()).isEqualTo(FailureStrategy.FALLBACK);
        assertThat(c.version()).isEqualTo("1.0.0");
    }

    @Test
    void writerRoundTrips() {
        Contract original = new ContractTemplates(loader).find("market_analysis").orElseThrow().contract();
        Contract again = loader.load(ContractWriter.toYaml(original), "again.yaml").contract();
        assertThat(again).isEqualTo(original);
    }

    @Test
    void everyProblemOfAFileIsReportedWithFileAndLine() {
        String yaml = """
                name: broken
                deliverables:
                  - name: score
                    type: integr
                  - name: level
                    type: str
                    rules:
                      - "len(value) >"
                    colour: red
                constraints:
                  max_total_tokens: lots
                failure_strategy: explode
                """;
        assertThatThrownBy(() -> loader.load(yaml, "broken.yaml"))
                .isInstanceOf(InvalidInputError.class)
                .hasMessageContaining("broken.yaml:4: deliverables[0].type: unknown type 'integr'")
                .hasMessageContaining("broken.yaml:8: deliverables[1].rules[0]: Rule 'len(value) >' has a syntax error at position 12")
                .hasMessageContaining("broken.yaml:9: deliverables[1].colour: unknown key 'colour'")
                .hasMessageContaining("broken.yaml:11: constraints.max_total_tokens: max_total_tokens must be an integer")
                .hasMessageContaining("broken.yaml:12: failure_strategy: unknown failure_strategy 'explode'");
    }

    @Test
    void malformedYamlNamesTheLine() {
        assertThatThrownBy(() -> loader.load("name: x\ndeliverables:\n  - name: a\n   type: [int\n", "bad.yaml"))
                .isInstanceOf(InvalidInputError.class)
                .hasMessageStartingWith("bad.yaml:")
                .hasMessageContaining("malformed YAML");
    }

    @Test
    void schemaChecksOfTheDesign() {
        String yaml = """
                name: 9lives
                deliverables:
                  - {name: a, type: int, required: false}
                  - {name: a, type: str, required: false, example: 3}
                constraints: {max_total_tokens: 1000, max_input_tokens: 800, max_output_tokens: 400}
                failure_strategy: fail
                max_retries: 11
                """;
        LoadedContract l = loader.read(yaml, "c.yaml");
        assertThat(l.hasErrors()).isTrue();
        assertThat(l.describeIssues()).anySatisfy(s -> assertThat(s).startsWith("c.yaml:1: error: name: '9lives' is not a valid contract name"))
                .anySatisfy(s -> assertThat(s).contains("error: deliverables: at least one deliverable must be required"))
                .anySatisfy(s -> assertThat(s).startsWith("c.yaml:4: error: deliverables[1].name: duplicate deliverable name 'a'"))
                .anySatisfy(s -> assertThat(s).contains("max_input_tokens + max_output_tokens (800 + 400) exceed max_total_tokens 1000"))
                .anySatisfy(s -> assertThat(s).contains("error: max_retries: must be within 0..10, got 11"))
                .anySatisfy(s -> assertThat(s).contains("warning: failure_strategy: 'fail' with max_retries 11"));
        assertThatThrownBy(() -> loader.load(yaml, "c.yaml")).isInstanceOf(InvalidInputError.class)
                .hasMessageContaining("c.yaml:1: error: name");
    }

    @Test
    void examplesMustSatisfyTheirDeliverable() {
        String yaml = """
                name: ex
                deliverables:
                  - {name: score, type: int, rules: ["value <= 10"], example: 50}
                """;
        assertThat(loader.read(yaml, "ex.yaml").describeIssues()).singleElement().asString()
                .startsWith("ex.yaml:3: error: deliverables[0].example: example does not satisfy its deliverable: score: Validation rule failed");
    }

    @Test
    void failWithRetriesIsOnlyAWarning() {
        LoadedContract l = loader.read("name: f\ndeliverables: [{name: a, type: int}]\nfailure_strategy: fail\nmax_retries: 1\n", "f.yaml");
        assertThat(l.hasErrors()).isFalse();
        assertThat(l.issues()).singleElement().satisfies(i -> assertThat(i.severity()).isEqualTo(ContractIssue.Severity.WARNING));
    }

    @Test
    void nameRuleFollowsTheDeploymentGuide() {
        assertThat(Contract.isValidName("lead_qualification")).isTrue();
        assertThat(Contract.isValidName("Lead-Q2")).isTrue();
        assertThat(Contract.isValidName("a" + "b".repeat(63))).isTrue();
        assertThat(Contract.isValidName("a" + "b".repeat(64))).isFalse();
        assertThat(Contract.isValidName("_x")).isFalse();
        assertThat(Contract.isValidName("x y")).isFalse();
        assertThat(Contract.isValidName("../etc")).isFalse();
    }

    @Test
    void builderParsesRulesEagerly() {
        assertThatThrownBy(() -> Deliverable.builder("x", "int").rule("value >>> 1"))
                .isInstanceOf(RuleSyntaxError.class);
        assertThatThrownBy(() -> Deliverable.builder("x", "lst[int]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown type 'lst'");
    }

    @Test
    void missingFileIsNotFound(@TempDir Path dir) {
        assertThatThrownBy(() -> loader.read(dir.resolve("nope.yaml"))).isInstanceOf(NotFoundError.class);
    }

    @Test
    void typeExpressions() {
        assertThat(TypeSpec.parse("dict[str, list[int]]").toString()).isEqualTo("dict[str,list[int]]");
        assertThat(TypeSpec.parse("integer")).isEqualTo(TypeSpec.INT);
        assertThatThrownBy(() -> TypeSpec.parse("dict[float,int]")).hasMessageContaining("dict keys must be str or int");
        assertThatThrownBy(() -> TypeSpec.parse("int[str]")).hasMessageContaining("takes no parameters");
        assertThatThrownBy(() -> TypeSpec.parse("list[int")).hasMessageContaining("expected ']'");
        assertThatThrownBy(() -> TypeSpec.parse("list[int]x")).hasMessageContaining("unexpected 'x'");
    }

    @Test
    void registryListsTemplatesAndFileContractsWithVersionsAndFilesOverrideTemplates(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("quote-1.yaml"), "name: quote\nversion: 1.9.0\ndeliverables: [{name: a, type: int}]\n");
        Files.writeString(dir.resolve("quote-2.yaml"), "name: quote\nversion: 1.10.0\ndeliverables: [{name: b, type: int}]\n");
        Files.writeString(dir.resolve("lead.yaml"), "name: lead_qualification\nversion: 9.0.0\ndeliverables: [{name: x, type: str}]\n");
        FileContractRegistry registry = new FileContractRegistry(dir, loader, new ContractTemplates(loader));

        assertThat(registry.list()).extracting(ContractRegistry.Entry::name).containsExactly("appointment_booking",
                "compliance_check", "lead_qualification", "market_analysis", "quote", "research_report");
        assertThat(registry.get("quote").version()).isEqualTo("1.10.0");
        assertThat(registry.get("quote", "1.9.0").deliverables().getFirst().name()).isEqualTo("a");
        assertThat(registry.versions("quote")).containsExactly("1.9.0", "1.10.0");
        assertThat(registry.get("lead_qualification").version()).isEqualTo("9.0.0");
        assertThat(registry.get("research_report").failureStrategy()).isEqualTo(FailureStrategy.FALLBACK);
        assertThatThrownBy(() -> registry.get("nope")).isInstanceOf(NotFoundError.class)
                .hasMessage("Contract 'nope' not found")
                .satisfies(e -> assertThat(((NotFoundError) e).hint()).contains("quote"));

        Contract v2 = Contract.builder("quote").version("2.0.0").deliverable(Deliverable.builder("c", "str")).build();
        assertThat(registry.save(v2)).hasFileName("quote-2.0.0.yaml");
        assertThat(registry.get("quote").version()).isEqualTo("2.0.0");
        assertThatThrownBy(() -> registry.save(v2)).isInstanceOf(InvalidInputError.class).hasMessageContaining("already exists");
    }

    @Test
    void registryRereadsAFileOnlyWhenItChanged(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("q.yaml"), "name: q\ndeliverables: [{name: a, type: int}]\n");
        FileContractRegistry registry = new FileContractRegistry(dir, loader, new ContractTemplates(loader));
        Contract first = registry.get("q");
        assertThat(registry.get("q")).isSameAs(first);
        Files.writeString(f, "name: q\ndeliverables: [{name: bb, type: int}]\n");
        assertThat(registry.get("q").deliverables().getFirst().name()).isEqualTo("bb");
        Files.delete(f);
        assertThat(registry.find("q")).isEmpty();
    }

    @Test
    void registryReportsAMalformedFileWithItsName(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "name: bad\ndeliverables:\n  - {name: a, type: nope}\n");
        FileContractRegistry registry = new FileContractRegistry(dir, loader, new ContractTemplates(loader));
        assertThatThrownBy(() -> registry.get("bad")).isInstanceOf(InvalidInputError.class)
                .hasMessageContaining("bad.yaml:3: deliverables[0].type");
    }
}
