package io.sigil.cli;

import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractTemplates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ContractsCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int sigil(String... args) {
        CommandLine cl = SigilCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void listShowsTheBundledTemplates() {
        assertThat(sigil("contracts", "list")).isZero();
        assertThat(out.toString()).contains("NAME").contains("lead_qualification").contains("research_report")
                .contains("appointment_booking").contains("market_analysis").contains("compliance_check");
    }

    @Test
    void showPrintsTheDefinitionAsYaml() {
        assertThat(sigil("contracts", "show", "appointment_booking")).isZero();
        assertThat(out.toString()).contains("name: appointment_booking").contains("failure_strategy: retry")
                .contains("max_retries: 3");
    }

    @Test
    void validateListsEveryErrorWithItsPathAndExits4(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"),
                "{\"score\": 140, \"bant_assessment\": {\"budget\": 5, \"need\": \"\"}}");
        assertThat(sigil("contracts", "validate", "lead_qualification", "--output", bad.toString())).isEqualTo(4);
        assertThat(out.toString()).contains("INVALID").contains("7 error(s)")
                .contains("score: Validation rule failed: 0 <= value <= 100")
                .contains("bant_assessment.budget: Type mismatch (expected str, got int 5)")
                .contains("bant_assessment.authority: Required deliverable is missing")
                .contains("bant_assessment.need: Validation rule failed: len(value) > 0")
                .contains("bant_assessment.timeline: Required deliverable is missing")
                .contains("bant_assessment: Validation rule failed: 'budget' in value")
                .contains("recommended_action: Required deliverable is missing");
    }

    @Test
    void validateExits0ForAValidOutput(@TempDir Path dir) throws Exception {
        String example = new ContractTemplates(new ContractLoader()).find("lead_qualification").orElseThrow()
                .contract().example().toString();
        Path good = Files.writeString(dir.resolve("good.json"), "```json\n" + example + "\n```");
        assertThat(sigil("contracts", "validate", "lead_qualification", "--output", good.toString())).isZero();
        assertThat(out.toString()).startsWith("VALID");
    }

    @Test
    void unknownContractIsNotFoundExit3(@TempDir Path dir) throws Exception {
        Path any = Files.writeString(dir.resolve("o.json"), "{}");
        assertThat(sigil("contracts", "validate", "no_such", "--output", any.toString())).isEqualTo(3);
        assertThat(err.toString()).startsWith("[NOT_FOUND] Contract 'no_such' not found");
        assertThat(sigil("contracts", "show", "../etc/passwd")).isEqualTo(2);
    }

    @Test
    void checkNamesTheFileAndLineOfEachProblem(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"),
                "name: c\ndeliverables:\n  - {name: a, type: int, required: false}\nmax_retries: 12\n");
        assertThat(sigil("contracts", "check", file.toString())).isEqualTo(2);
        assertThat(out.toString()).contains("c.yaml:2: error: deliverables: at least one deliverable must be required")
                .contains("c.yaml:4: error: max_retries: must be within 0..10, got 12");
        assertThat(err.toString()).startsWith("[INVALID_INPUT] Contract definition");

        Path ok = Files.writeString(dir.resolve("ok.yaml"), "name: ok\ndeliverables: [{name: a, type: int}]\n");
        assertThat(sigil("contracts", "check", ok.toString())).isZero();
        assertThat(out.toString()).contains("OK: ok 1.0.0 (1 deliverables, 0 warning(s))");
    }

    @Test
    void runWithTheOfflineTestModelReturnsAValidResult() {
        assertThat(sigil("contracts", "run", "lead_qualification", "Qualify ACME Corp", "--model", "test")).isZero();
        assertThat(out.toString()).contains("attempt 1 (initial prompt): valid").contains("Result (valid,")
                .contains("\"score\" : ").contains("\"bant_assessment\" : {"); // sampled from the lean schema
    }

    @Test
    void runRefusesAnUnknownProvider() {
        assertThat(sigil("contracts", "run", "lead_qualification", "Qualify ACME", "--model", "nope:model")).isEqualTo(2);
        assertThat(err.toString()).startsWith("[CONFIG_ERROR] Unknown model provider 'nope'");
    }
}
