package io.sigil.llm;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Wraps a provider with Sigil's one resilience policy: a per-attempt timeout, retries with backoff and jitter on
 * transient failures (honouring retry-after), a circuit breaker per provider, and cancellation by interrupt.
 *
 * <p>Each attempt runs on its own virtual thread while the caller waits with a deadline, so a timeout or an
 * interrupt of the caller returns at once, and interrupting the worker closes its socket (virtual threads'
 * socket I/O is interruptible). Stream events are relayed back and delivered on the caller's thread, as
 * {@link StreamListener} promises. A stream that already delivered text is not retried (the listener would see
 * it twice); the failure is reported instead.
 */
public final class ResilientChatModel implements ChatModel {
    private static final Logger log = LoggerFactory.getLogger(ResilientChatModel.class);

    /** Waits between retries; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        Sleeper REAL = Thread::sleep;
    }

    private final ChatModel delegate;
    private final RetryPolicy policy;
    private final CircuitBreaker breaker;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    /** Resilience around {@code model}, configured fluently (defaults: {@link RetryPolicy#DEFAULT}, own breaker). */
    public static ResilienceBuilder builder(ChatModel model) { return new ResilienceBuilder(model); }

    public ResilientChatModel(ChatModel delegate, RetryPolicy policy, CircuitBreaker breaker) {
        this(delegate, policy, breaker, Sleeper.REAL, RandomGenerator.getDefault());
    }

    public ResilientChatModel(ChatModel delegate, RetryPolicy policy, CircuitBreaker breaker, Sleeper sleeper,
                              RandomGenerator random) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public ChatResponse chat(ChatRequest request) { return call(request, null, Long.MAX_VALUE, null); }

    /** The caller's deadline bounds the attempts, their backoff and each attempt's wait: still one hand-off per attempt. */
    @Override
    public ChatResponse chat(ChatRequest request, Duration within) {
        if (within.isNegative() || within.isZero()) throw DeadlineCalls.timedOut(provider(), within);
        return call(request, null, System.nanoTime() + within.toNanos(), within);
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamListener listener) {
        return call(request, Objects.requireNonNull(listener, "listener"), Long.MAX_VALUE, null);
    }

    @Override
    public String provider() { return delegate.provider(); }

    public CircuitBreaker breaker() { return breaker; }

    /**
     * @param deadline the caller's deadline ({@link System#nanoTime()}), or {@code Long.MAX_VALUE} for none
     * @param within   the time the caller gave (for messages), or null for none
     */
    private ChatResponse call(ChatRequest request, StreamListener listener, long deadline, Duration within) {
        int retry = 0;
        while (true) {
            Attempt attempt = new Attempt(listener, deadline, within);
            try {
                ChatResponse response = guarded(request, attempt);
                if (listener != null) listener.onComplete(response);
                return response;
            } catch (LlmError e) {
                boolean retryable = e.kind().isTransient() && e.kind() != LlmError.Kind.CIRCUIT_OPEN
                        && e.kind() != LlmError.Kind.TIMEOUT && !attempt.delivered;
                if (!retryable || retry >= policy.maxRetries()) throw e;
                retry++;
                Duration delay = policy.delay(retry, e, random);
                if (deadline != Long.MAX_VALUE && System.nanoTime() + delay.toNanos() >= deadline) {
                    throw DeadlineCalls.timedOut(provider(), within);
                }
                log.warn("{} call failed ({}, status {}, request id {}); retry {}/{} in {} ms", provider(), e.kind(),
                        e.status(), e.requestId(), retry, policy.maxRetries(), delay.toMillis());
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw cancelled(ie);
                }
            }
        }
    }

    /** One attempt through the circuit breaker. */
    private ChatResponse guarded(ChatRequest request, Attempt attempt) {
        if (!breaker.tryAcquirePermission()) {
            throw new LlmError(provider(), LlmError.Kind.CIRCUIT_OPEN, 0, null, null,
                    "The " + provider() + " circuit breaker is open after repeated failures; calls are refused until "
                            + "a trial call succeeds", "Wait and retry, or check the provider's status.", null);
        }
        long start = System.nanoTime();
        try {
            ChatResponse response = attempt.run(request);
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return response;
        } catch (LlmError e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            throw e;
        } catch (RuntimeException e) {
            breaker.releasePermission();
            throw e;
        }
    }

    private LlmError cancelled(Throwable cause) { return DeadlineCalls.cancelled(provider(), cause); }

    /** Runs one delegate call on a virtual thread and relays its events to the caller's thread. */
    private final class Attempt {
        private final StreamListener listener;
        /** The caller's deadline, and the time it gave for the message when that deadline is what ends the call. */
        private final long callerDeadline;
        private final Duration within;
        boolean delivered;

        Attempt(StreamListener listener, long callerDeadline, Duration within) {
            this.listener = listener;
            this.callerDeadline = callerDeadline;
            this.within = within;
        }

        ChatResponse run(ChatRequest request) {
            if (listener == null && delegate.boundsItsOwnCalls()) return runHere(request);
            BlockingQueue<Object> events = new LinkedBlockingQueue<>();
            // The caller's trace context goes with the call, so the provider request carries its traceparent.
            Thread worker = Thread.ofVirtual().name("llm-" + provider()).start(io.opentelemetry.context.Context.current().wrap(() -> {
                try {
                    ChatResponse response = listener == null ? delegate.chat(request)
                            : delegate.stream(request, new StreamListener() {
                                @Override
                                public void onText(String delta) { events.add(new Text(delta)); }

                                @Override
                                public void onToolCall(ToolCall call) { events.add(call); }
                            });
                    events.add(new Done(response));
                } catch (Throwable t) {
                    events.add(new Failed(t));
                }
            }));
            long ownDeadline = System.nanoTime() + policy.timeout().toNanos();
            long deadline = Math.min(ownDeadline, callerDeadline);
            try {
                while (true) {
                    long left = deadline - System.nanoTime();
                    Object event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
                    switch (event) {
                        case null -> {
                            worker.interrupt();
                            if (callerDeadline < ownDeadline) {
                                throw DeadlineCalls.timedOut(provider(), within);
                            }
                            throw new LlmError(provider(), LlmError.Kind.TIMEOUT, 0, null, null,
                                    "The " + provider() + " call timed out after " + policy.timeout().toMillis() + " ms",
                                    "Raise SIGIL_LLM__TIMEOUT or ask for a shorter answer.", null);
                        }
                        case Text t -> {
                            delivered = true;
                            listener.onText(t.delta());
                        }
                        case ToolCall call -> listener.onToolCall(call);
                        case Done d -> {
                            return d.response();
                        }
                        case Failed f -> throw rethrow(f.error());
                        default -> throw new IllegalStateException("unexpected event " + event);
                    }
                }
            } catch (InterruptedException e) {
                worker.interrupt();
                Thread.currentThread().interrupt();
                throw cancelled(e);
            }
        }

        /** The call on the caller's thread, bounded by the delegate itself: no hand-off, no queue. */
        private ChatResponse runHere(ChatRequest request) {
            long ownDeadline = System.nanoTime() + policy.timeout().toNanos();
            boolean callers = callerDeadline < ownDeadline;
            long left = Math.min(ownDeadline, callerDeadline) - System.nanoTime();
            if (left <= 0) throw timedOut(callers);
            try {
                return delegate.chat(request, Duration.ofNanos(left));
            } catch (LlmError e) {
                if (Thread.currentThread().isInterrupted()) throw e.kind() == LlmError.Kind.CANCELLED ? e : cancelled(e);
                if (e.kind() == LlmError.Kind.TIMEOUT) throw timedOut(callers);
                throw e;
            }
        }

        private LlmError timedOut(boolean callers) {
            if (callers) return DeadlineCalls.timedOut(provider(), within);
            return new LlmError(provider(), LlmError.Kind.TIMEOUT, 0, null, null,
                    "The " + provider() + " call timed out after " + policy.timeout().toMillis() + " ms",
                    "Raise SIGIL_LLM__TIMEOUT or ask for a shorter answer.", null);
        }

        private RuntimeException rethrow(Throwable error) {
            if (error instanceof RuntimeException r) return r;
            if (error instanceof Error e) throw e;
            return new IllegalStateException(error);
        }
    }

    private record Text(String delta) { }

    private record Done(ChatResponse response) { }

    private record Failed(Throwable error) { }
}
