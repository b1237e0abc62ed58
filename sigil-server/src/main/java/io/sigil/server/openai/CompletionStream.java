package io.sigil.server.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.runs.RunInput;
import io.sigil.server.runs.RunLauncher;
import io.sigil.server.runs.RunSink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A streamed chat completion, event for event as OpenAI sends one: {@code data: <chunk>} lines with the role chunk
 * first, the content (or tool call) deltas, a chunk with the {@code finish_reason}, the usage chunk when the client
 * asked for it, then {@code data: [DONE]}. A run that fails after the stream began ends it with
 * {@code data: {"error": ...}}, as OpenAI does. A client that goes away cancels its run (recorded as cancelled).
 *
 * <p>The content is sent once the run has settled its answer: a Sigil run may make several model calls (plan steps,
 * candidate thoughts, contract retries) whose text is not the answer, so the model's deltas are passed on only when
 * they add up to exactly the answer, and the answer is sent as one delta otherwise. Until then a comment line every
 * {@link #HEARTBEAT_SECONDS} s keeps proxies from closing the idle connection.
 */
final class CompletionStream {
    static final int HEARTBEAT_SECONDS = 15;

    private final RunLauncher runs;
    private final ObjectMapper mapper;
    private final String id;
    private final long created;
    private final String model;
    private final boolean includeUsage;
    private final CompletableFuture<String> session = new CompletableFuture<>();
    private final CompletableFuture<Object> complete = new CompletableFuture<>();
    private final List<String> deltas = new ArrayList<>();

    CompletionStream(RunLauncher runs, ObjectMapper mapper, String id, long created, String model, boolean includeUsage) {
        this.runs = runs;
        this.mapper = mapper;
        this.id = id;
        this.created = created;
        this.model = model;
        this.includeUsage = includeUsage;
    }

    /** Starts the run (its refusals are thrown before anything is written), then streams it. */
    void send(Context ctx, RunInput input) throws InterruptedException {
        RunLauncher.ActiveRun run = runs.launch(input, new RunSink() {
            @Override
            public void publish(String type, Object data) {
                switch (type) {
                    case "token" -> {
                        if (data instanceof Map<?, ?> m && m.get("delta") instanceof String d) {
                            synchronized (deltas) {
                                deltas.add(d);
                            }
                        }
                    }
                    case "status" -> {
                        if (data instanceof Map<?, ?> m && m.get("session_id") instanceof String s) session.complete(s);
                    }
                    case "complete" -> complete.complete(data);
                    default -> { }
                }
            }

            @Override
            public void ended() { complete.complete(null); }
        });
        try {
            // The session is the run's first message; its id goes into the response headers.
            String sessionId = await(session, complete);
            ctx.status(200);
            ctx.contentType("text/event-stream; charset=utf-8");
            ctx.header("Cache-Control", "no-cache");
            ctx.header("X-Accel-Buffering", "no");
            if (sessionId != null) ctx.header(OpenAiApi.SESSION_HEADER, sessionId);
            OutputStream out = ctx.res().getOutputStream();
            chunk(out, ChatCompletionChunk.Delta.roleChunk(), null);
            Object done = waitForRun(out);
            finish(out, done);
        } catch (IOException e) {
            run.cancel("the client closed the stream"); // the client went away: the run is recorded as cancelled
        } catch (InterruptedException e) {
            run.cancel();
            throw e;
        }
    }

    private Object waitForRun(OutputStream out) throws IOException, InterruptedException {
        while (true) {
            try {
                return complete.get(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (ExecutionException e) {
                return null;
            }
        }
    }

    private void finish(OutputStream out, Object done) throws IOException {
        RunOutcome outcome;
        try {
            outcome = RunOutcome.of(done);
        } catch (ApiProblem p) {
            event(out, mapper.writeValueAsString(OpenAiError.of(p.problem())));
            return;
        }
        if (!outcome.toolCalls().isEmpty()) {
            List<ChatCompletionChunk.ToolCallDelta> calls = new ArrayList<>();
            for (int i = 0; i < outcome.toolCalls().size(); i++) {
                var c = outcome.toolCalls().get(i);
                calls.add(new ChatCompletionChunk.ToolCallDelta(i, c.id(), c.type(), c.function()));
            }
            chunk(out, new ChatCompletionChunk.Delta(null, null, calls), null);
        } else {
            for (String piece : pieces(outcome.content())) chunk(out, ChatCompletionChunk.Delta.content(piece), null);
        }
        chunk(out, ChatCompletionChunk.Delta.EMPTY, outcome.finishReason());
        if (includeUsage) event(out, mapper.writeValueAsString(ChatCompletionChunk.usage(id, created, model, outcome.usage())));
        event(out, "[DONE]");
    }

    /** The model's deltas when they are exactly the answer, else the answer whole. */
    private List<String> pieces(String content) {
        synchronized (deltas) {
            if (!deltas.isEmpty() && String.join("", deltas).equals(content)) return List.copyOf(deltas);
        }
        return content.isEmpty() ? List.of() : List.of(content);
    }

    private void chunk(OutputStream out, ChatCompletionChunk.Delta delta, String finishReason) throws IOException {
        event(out, mapper.writeValueAsString(ChatCompletionChunk.of(id, created, model, delta, finishReason)));
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The first of the two to complete: the session id, or null when the run ended without opening one. */
    private static String await(CompletableFuture<String> session, CompletableFuture<Object> complete)
            throws InterruptedException {
        try {
            Object first = CompletableFuture.anyOf(session, complete).get();
            return first instanceof String s ? s : session.getNow(null);
        } catch (ExecutionException e) {
            return null;
        }
    }
}
