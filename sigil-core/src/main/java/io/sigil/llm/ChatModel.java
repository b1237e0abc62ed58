package io.sigil.llm;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The port every model provider implements: one blocking call, with streaming layered on top by default.
 *
 * <p>Blocking is deliberate: Sigil runs requests on virtual threads, so a call that waits costs no platform
 * thread, and callers read top to bottom. Cancellation is by {@link Thread#interrupt()} on the calling thread
 * (providers turn it into a cancelled call, not a hang).
 */
public interface ChatModel {

    /** Sends one request and returns the whole response. Failures are {@link io.sigil.errors.SigilError}s. */
    ChatResponse chat(ChatRequest request);

    /**
     * Sends one request and returns within {@code within}: past it the call is cancelled by interrupt and an
     * {@link LlmError} of kind {@link LlmError.Kind#TIMEOUT TIMEOUT} is thrown; an interrupt of the caller cancels it
     * too ({@link LlmError.Kind#CANCELLED CANCELLED}). The default runs the call on a virtual thread and waits for it;
     * a model that already bounds its calls by a deadline on a thread of its own ({@link ResilientChatModel}) folds
     * {@code within} into that deadline, so that a call is handed to another thread once, not twice.
     */
    default ChatResponse chat(ChatRequest request, Duration within) {
        if (within.isNegative() || within.isZero()) throw DeadlineCalls.timedOut(provider(), within);
        // Not an ExecutorService with try-with-resources: closing it would wait for a model that ignores interrupts.
        FutureTask<ChatResponse> task = new FutureTask<>(() -> chat(request));
        Thread.ofVirtual().name("llm-deadline-" + provider()).start(task);
        try {
            return task.get(within.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw DeadlineCalls.timedOut(provider(), within);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw DeadlineCalls.cancelled(provider(), e);
        }
    }

    /**
     * True when {@link #chat(ChatRequest, Duration)} bounds the call by itself on the caller's thread (its HTTP
     * client enforces the deadline), so that {@link ResilientChatModel} calls it directly instead of handing each
     * attempt to a thread of its own. An interrupt then cancels the call where the caller's blocking I/O is
     * interruptible (virtual threads, on which Sigil runs requests); elsewhere the call ends at its deadline.
     */
    default boolean boundsItsOwnCalls() { return false; }

    /**
     * Sends one request and reports text deltas and tool calls as they arrive, then returns the final response.
     * Providers with native streaming override this; the default delivers the whole response as one delta.
     */
    default ChatResponse stream(ChatRequest request, StreamListener listener) {
        ChatResponse response = chat(request);
        if (!response.text().isEmpty()) listener.onText(response.text());
        response.toolCalls().forEach(listener::onToolCall);
        listener.onComplete(response);
        return response;
    }

    /** The provider name used in metrics, events and model strings ({@code anthropic}, {@code openai}, {@code test}). */
    String provider();
}
