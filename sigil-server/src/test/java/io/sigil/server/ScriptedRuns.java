package io.sigil.server;

import io.sigil.errors.NotFoundError;
import io.sigil.server.runs.RunInput;
import io.sigil.server.runs.RunLauncher;
import io.sigil.server.runs.RunSink;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test launcher for the streaming endpoints' protocol (the orchestrator-backed one is tested separately): agent
 * {@code echo} streams the message's words as tokens; {@code flood N} publishes N 16 KiB tokens at once;
 * {@code wait} runs until cancelled; {@code linger} ends ({@link RunSink#ended()}) half a second after its
 * {@code complete}. Counts cancellations.
 */
final class ScriptedRuns implements RunLauncher {
    final AtomicInteger cancelled = new AtomicInteger();
    final AtomicInteger started = new AtomicInteger();

    @Override
    public void requireAgent(String name) {
        if (!name.equals("echo")) throw new NotFoundError("Agent '" + name + "' not found", "Known agents: echo.");
    }

    @Override
    public ActiveRun launch(RunInput input, RunSink sink) {
        requireAgent(input.agent());
        if ("missing".equals(input.sessionId())) throw new NotFoundError("no session 'missing'", null);
        started.incrementAndGet();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            String status = "success";
            try {
                sink.publish("status", Map.of("stage", "started", "agent", input.agent()));
                String[] words = input.message().split(" ");
                if (words[0].equals("flood")) {
                    String big = "x".repeat(16 * 1024);
                    for (int i = 0; i < Integer.parseInt(words[1]) && !stop.get(); i++) sink.publish("token", Map.of("delta", big));
                } else if (words[0].equals("wait")) {
                    while (!stop.get()) Thread.sleep(5);
                } else {
                    for (String w : words) sink.publish("token", Map.of("delta", w + " "));
                }
                if (stop.get()) status = "cancelled";
            } catch (InterruptedException e) {
                status = "cancelled";
            }
            sink.publish("complete", Map.of("status", status, "output", Map.of("answer", input.message()),
                    "user", input.caller().subject() == null ? "" : input.caller().subject(), "context_keys", List.copyOf(input.context().keySet())));
            done.countDown();
            if (words0(input).equals("linger")) pause(); // the run's thread ends a while after its complete
            sink.ended();
        });
        return new ActiveRun() {
            @Override
            public void cancel() {
                if (stop.compareAndSet(false, true)) cancelled.incrementAndGet();
            }

            @Override
            public boolean await(Duration wait) throws InterruptedException {
                return done.await(wait.toMillis(), TimeUnit.MILLISECONDS);
            }
        };
    }

    private static String words0(RunInput input) { return input.message().split(" ")[0]; }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
