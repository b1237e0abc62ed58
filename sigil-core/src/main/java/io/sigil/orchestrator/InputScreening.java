package io.sigil.orchestrator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sigil.guard.InjectionGuard;
import io.sigil.guard.Signal;
import io.sigil.guard.Verdict;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Screens what a user sends before the run starts, with the guard of {@code security.injection_mode} and
 * {@code guard.detector}: mode flag passes the message on and reports the verdict, sanitize passes the neutralised
 * text on, block rejects the request ({@link io.sigil.guard.InjectionBlockedError}, a 400) before it opens a
 * session, touches memory or reaches a model. Counted per action in {@code sigil.guard.screened}.
 */
final class InputScreening {
    private final Supplier<InjectionGuard> guard;
    private final Map<Verdict.Action, Counter> screened = new EnumMap<>(Verdict.Action.class);
    private InjectionGuard resolved; // the guard, taken on the first request (the learned one loads lazily)

    InputScreening(Supplier<InjectionGuard> guard, MeterRegistry meters) {
        this.guard = Objects.requireNonNull(guard, "guard");
        for (Verdict.Action a : Verdict.Action.values()) {
            screened.put(a, Counter.builder("sigil.guard.screened").tag("action", a.name().toLowerCase(Locale.ROOT))
                    .description("Run requests screened for prompt injection, by what the guard did")
                    .register(meters));
        }
    }

    /** The verdict on {@code message}; throws the guard's blocked error in mode block. */
    Verdict screen(String message) {
        Verdict v = guard().check(message);
        screened.get(v.action()).increment();
        if (v.action() == Verdict.Action.BLOCKED) throw new io.sigil.guard.InjectionBlockedError(v);
        return v;
    }

    private synchronized InjectionGuard guard() {
        if (resolved == null) resolved = Objects.requireNonNull(guard.get(), "input guard");
        return resolved;
    }

    /** What the user-message event records of a verdict that found an injection (null when it found none). */
    static Map<String, Object> describe(Verdict v) {
        if (v == null || !v.injection()) return null;
        var m = new LinkedHashMap<String, Object>();
        m.put("action", v.action().name().toLowerCase(Locale.ROOT));
        m.put("score", Math.round(v.score() * 1000) / 1000.0);
        m.put("threshold", v.threshold());
        m.put("signals", v.signals().stream().map(Signal::name).distinct().toList());
        return m;
    }
}
