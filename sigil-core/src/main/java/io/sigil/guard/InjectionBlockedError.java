package io.sigil.guard;

import io.sigil.errors.InvalidInputError;

import java.util.Map;

/** User input rejected by the injection guard in mode {@code block}. */
public final class InjectionBlockedError extends InvalidInputError {
    private final transient Verdict verdict;

    public InjectionBlockedError(Verdict verdict) {
        super("Input rejected: it looks like a prompt injection (score " + verdict.score() + ", signals "
                        + verdict.signals().stream().limit(3).map(Signal::name).toList() + ")",
                "rephrase the request without instructions aimed at the assistant itself; operators can switch"
                        + " security.injection_mode to flag or sanitize",
                Map.of("score", verdict.score(), "signals", verdict.signals().stream().map(Signal::name).toList()),
                false, null);
        this.verdict = verdict;
    }

    public Verdict verdict() {
        return verdict;
    }
}
