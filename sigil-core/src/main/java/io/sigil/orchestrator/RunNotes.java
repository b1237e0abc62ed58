package io.sigil.orchestrator;

import io.sigil.errors.SigilError;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run tells its caller beside the answer: the errors and warnings of its response and its metadata. Warnings
 * may come from any thread of the run (plan steps run in parallel), so they are added under a lock and streamed to
 * the listener as they happen.
 */
final class RunNotes {
    final List<String> errors = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final Map<String, Object> metadata = new LinkedHashMap<>();
    private final RunListener listener;

    RunNotes(RunListener listener) {
        this.listener = listener;
    }

    void warn(String message) {
        synchronized (warnings) {
            warnings.add(message);
        }
        listener.warning(message);
    }

    /**
     * Keeps how to fix an error that ended the run, by lower-case code, in the response's metadata ({@code hints}):
     * the errors list carries only {@code [CODE] message}, and a person needs the hint line too.
     */
    void hint(SigilError e) {
        if (e.hint() == null) return;
        @SuppressWarnings("unchecked")
        Map<String, String> hints = (Map<String, String>) metadata.computeIfAbsent("hints", k -> new LinkedHashMap<String, String>());
        hints.put(e.code().name().toLowerCase(Locale.ROOT), e.hint());
    }
}
