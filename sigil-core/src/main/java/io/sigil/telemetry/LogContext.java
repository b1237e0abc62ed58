package io.sigil.telemetry;

import org.slf4j.MDC;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The log context of a run ({@code session_id}, {@code agent_id}, {@code request_id} in SLF4J's MDC) carried to
 * the threads that work for it: plan steps, event flushes and background learning run elsewhere, and their log
 * lines must still say which session and agent they belong to. MDC is per thread, so a task captures the
 * submitting thread's context and installs it while it runs.
 */
public final class LogContext {
    public static final String SESSION_ID = "session_id";
    public static final String AGENT_ID = "agent_id";
    public static final String REQUEST_ID = "request_id";

    private LogContext() { }

    /** Sets the run's keys on this thread; a null value removes its key. Returns what to restore afterwards. */
    public static Map<String, String> enter(String sessionId, String agentId, String requestId) {
        Map<String, String> before = MDC.getCopyOfContextMap();
        put(SESSION_ID, sessionId);
        put(AGENT_ID, agentId);
        put(REQUEST_ID, requestId);
        return before;
    }

    /** Restores what {@link #enter} returned. */
    public static void restore(Map<String, String> before) {
        if (before == null) MDC.clear();
        else MDC.setContextMap(before);
    }

    /** The task with the calling thread's log context installed while it runs. */
    public static Runnable carry(Runnable task) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        if (context == null || context.isEmpty()) return task;
        return () -> {
            Map<String, String> before = MDC.getCopyOfContextMap();
            MDC.setContextMap(context);
            try {
                task.run();
            } finally {
                restore(before);
            }
        };
    }

    /** As {@link #carry(Runnable)}, for a task with a result. */
    public static <T> Callable<T> carry(Callable<T> task) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        if (context == null || context.isEmpty()) return task;
        return () -> {
            Map<String, String> before = MDC.getCopyOfContextMap();
            MDC.setContextMap(context);
            try {
                return task.call();
            } finally {
                restore(before);
            }
        };
    }

    private static void put(String key, String value) {
        if (value == null) MDC.remove(key);
        else MDC.put(key, value);
    }
}
