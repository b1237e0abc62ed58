package io.sigil.config;

import io.sigil.errors.ConfigError;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The configuration has errors: all of them, each naming the key, the source, the value and what is allowed. */
public final class InvalidConfiguration extends ConfigError {
    private final transient List<ConfigIssue> issues;

    public InvalidConfiguration(List<ConfigIssue> issues) {
        super(message(issues), "docs/configuration.md lists every key with its allowed values; sigil config validate checks again",
                Map.of("problems", issues.stream().filter(ConfigIssue::isError).map(ConfigIssue::describe).toList()),
                false, null);
        this.issues = List.copyOf(issues);
    }

    /** Every issue found, errors and warnings. */
    public List<ConfigIssue> issues() { return issues; }

    public List<ConfigIssue> errors() { return issues.stream().filter(ConfigIssue::isError).toList(); }

    private static String message(List<ConfigIssue> issues) {
        List<ConfigIssue> errors = issues.stream().filter(ConfigIssue::isError).toList();
        if (errors.size() == 1) return "invalid configuration: " + errors.getFirst().describe();
        return "invalid configuration, " + errors.size() + " problems:"
                + errors.stream().map(e -> "\n  - " + e.describe()).collect(Collectors.joining());
    }
}
