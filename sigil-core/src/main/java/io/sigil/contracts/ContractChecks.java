package io.sigil.contracts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The design's {@code validate_schema} checks of a contract definition, all reported at once: name format, at
 * least one deliverable and at least one required, unique names, input + output within total tokens, retries in
 * 0..10, examples that satisfy their own deliverable, and a warning for {@code fail} with retries.
 */
public final class ContractChecks {
    public static final int MAX_RETRIES_LIMIT = 10;

    private ContractChecks() { }

    public static List<ContractIssue> check(Contract c) {
        List<ContractIssue> issues = new ArrayList<>();
        if (!Contract.isValidName(c.name())) {
            issues.add(error("name", "'" + c.name() + "' is not a valid contract name: start with a letter, then up to 63 "
                    + "letters, digits, '_' or '-'"));
        }
        if (!Contract.isValidVersion(c.version())) {
            issues.add(error("version", "'" + c.version().replaceAll("\\p{Cntrl}", "?") + "' is not a valid contract"
                    + " version: dotted numbers such as 1.0.0, optionally with a suffix such as -rc.1"));
        }
        if (c.deliverables().isEmpty()) issues.add(error("deliverables", "a contract needs at least one deliverable"));
        else if (c.required().isEmpty()) issues.add(error("deliverables", "at least one deliverable must be required"));
        checkFields(c.deliverables(), "deliverables", issues);

        Constraints k = c.constraints();
        if (k.maxTotalTokens() > 0 && k.maxInputTokens() + k.maxOutputTokens() > k.maxTotalTokens()) {
            issues.add(error("constraints", "max_input_tokens + max_output_tokens (" + k.maxInputTokens() + " + "
                    + k.maxOutputTokens() + ") exceed max_total_tokens " + k.maxTotalTokens()));
        }
        if (c.maxRetries() < 0 || c.maxRetries() > MAX_RETRIES_LIMIT) {
            issues.add(error("max_retries", "must be within 0.." + MAX_RETRIES_LIMIT + ", got " + c.maxRetries()));
        }
        if (c.failureStrategy() == FailureStrategy.FAIL && c.maxRetries() > 0) {
            issues.add(new ContractIssue(ContractIssue.Severity.WARNING, "failure_strategy",
                    "'fail' with max_retries " + c.maxRetries() + ": the contract retries " + c.maxRetries()
                            + " time(s) before failing; set max_retries: 0 to fail on the first invalid output"));
        }
        if (k.maxTotalTokens() > 0 && k.maxTotalTokens() < ContractExecutor.MIN_TOKENS_FOR_RETRY * 2L) {
            issues.add(new ContractIssue(ContractIssue.Severity.WARNING, "constraints.max_total_tokens",
                    k.maxTotalTokens() + " tokens leave little room: no retry starts with fewer than "
                            + ContractExecutor.MIN_TOKENS_FOR_RETRY + " tokens left"));
        }
        if (issues.stream().noneMatch(ContractIssue::isError)) checkExample(c, issues);
        return issues;
    }

    private static void checkFields(List<Deliverable> ds, String where, List<ContractIssue> issues) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ds.size(); i++) {
            Deliverable d = ds.get(i);
            String at = where + "[" + i + "]";
            if (d.name().isBlank()) issues.add(error(at + ".name", "deliverable name is empty"));
            if (!seen.add(d.name())) issues.add(error(at + ".name", "duplicate deliverable name '" + d.name() + "'"));
            if (!d.fields().isEmpty()) {
                if (!d.acceptsFields()) {
                    issues.add(error(at + ".fields", "nested fields need an object type (dict, list[dict]), but '"
                            + d.name() + "' is " + d.type()));
                }
                checkFields(d.fields(), at + ".fields", issues);
            }
        }
    }

    /** Each deliverable's example must satisfy that deliverable: a template whose example fails is a broken template. */
    private static void checkExample(Contract c, List<ContractIssue> issues) {
        ContractValidator validator = new ContractValidator();
        for (int i = 0; i < c.deliverables().size(); i++) {
            Deliverable d = c.deliverables().get(i);
            if (d.example() == null) continue;
            for (ValidationError e : validator.validateDeliverable(d, d.example())) {
                issues.add(error("deliverables[" + i + "].example", "example does not satisfy its deliverable: "
                        + e.describe()));
            }
        }
    }

    private static ContractIssue error(String where, String message) {
        return new ContractIssue(ContractIssue.Severity.ERROR, where, message);
    }
}
