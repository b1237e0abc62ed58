package io.sigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.contracts.Contract;
import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractTemplates;
import io.sigil.contracts.ContractValidator;
import io.sigil.contracts.Deliverable;
import io.sigil.contracts.ValidationResult;
import io.sigil.contracts.rules.Rule;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Validating a lead_qualification output (target: median <= 20 us). {@code validateParsed} is the contract
 * check alone (rules parsed once when the contract was loaded); {@code validateText} adds JSON extraction and
 * parsing of the model's text. Baselines in the same run: {@code baselineJsonParseOnly} (Jackson reading the same
 * text, the floor any validator pays) and {@code baselineReparseRules} (re-parsing every rule on each validation,
 * what caching the parse avoids).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ContractValidationBenchmark {
    static final String OUTPUT = """
            {"score": 72,
             "bant_assessment": {"budget": "Approved 50k EUR for this fiscal year",
               "authority": "Contact is the VP of Sales and signs the purchase",
               "need": "Manual lead routing loses about 20% of inbound leads",
               "timeline": "Wants a solution live within the next quarter"},
             "recommended_action": "Book a product demo with the VP of Sales this week"}""";

    private final ObjectMapper json = new ObjectMapper();
    private Contract contract;
    private ContractValidator validator;
    private JsonNode parsed;
    private List<String> ruleSources;

    @Setup
    public void setUp() throws Exception {
        contract = new ContractTemplates(new ContractLoader()).find("lead_qualification").orElseThrow().contract();
        validator = new ContractValidator();
        parsed = json.readTree(OUTPUT);
        ruleSources = new ArrayList<>();
        collect(contract.deliverables(), ruleSources);
        ValidationResult check = validator.validate(contract, parsed);
        if (!check.valid()) throw new IllegalStateException("benchmark output must be valid: " + check.errors());
    }

    private static void collect(List<Deliverable> ds, List<String> out) {
        for (Deliverable d : ds) {
            d.rules().forEach(r -> out.add(r.source()));
            collect(d.fields(), out);
        }
    }

    @Benchmark
    public ValidationResult validateParsed() {
        return validator.validate(contract, parsed);
    }

    @Benchmark
    public ValidationResult validateText() {
        return validator.validateText(contract, OUTPUT);
    }

    @Benchmark
    public JsonNode baselineJsonParseOnly() throws Exception {
        return json.readTree(OUTPUT);
    }

    @Benchmark
    public ValidationResult baselineReparseRules(Blackhole bh) {
        for (String source : ruleSources) bh.consume(Rule.parse(source));
        return validator.validate(contract, parsed);
    }
}
