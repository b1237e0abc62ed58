package io.sigil.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sigil.agents.AgentDefinition;
import io.sigil.agents.AgentRegistry;
import io.sigil.errors.NotFoundError;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.http.RequestContext;
import io.sigil.server.runs.RunInput;
import io.sigil.server.runs.RunLauncher;
import io.sigil.server.runs.RunSink;
import io.sigil.server.sessions.SessionIds;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code POST /v1/chat/completions}: runs the agent named by {@code model} through the same run pipeline as
 * {@code POST /agents/{name}/run} (tracked, drained on shutdown, recorded in a session owned by the caller) and
 * answers with a {@code chat.completion}, or with {@code stream: true} a {@code chat.completion.chunk} event stream
 * ({@link CompletionStream}).
 *
 * <p>Sessions: the {@value OpenAiApi#SESSION_HEADER} request header continues that session (404 when the caller has
 * none of that id); otherwise a {@code user} that names one of the caller's sessions continues it, and any other
 * {@code user} (OpenAI clients use it for an end-user label) starts a new one. The response's
 * {@value OpenAiApi#SESSION_HEADER} header names the session the run was recorded in.
 */
final class ChatCompletionsEndpoint implements ApiEndpoint {
    private final AgentRegistry agents;
    private final RunLauncher runs;
    private final JsonBodies bodies;
    private final ObjectMapper mapper;
    private final Clock clock;

    ChatCompletionsEndpoint(AgentRegistry agents, RunLauncher runs, JsonBodies bodies, ObjectMapper mapper, Clock clock) {
        this.agents = agents;
        this.runs = runs;
        this.bodies = bodies;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Override
    public Route route() {
        return Route.post(OpenAiApi.PREFIX + "/chat/completions", OpenAiApi.ACCESS, OpenAiApi.TAG,
                "OpenAI-compatible chat completion: model = agent; stream: true answers with chat.completion.chunk events");
    }

    @Override
    public void handle(Context ctx) throws Exception {
        ChatCompletionRequest request = ChatCompletionRequest.parse(bodies.read(ctx, JsonNode.class), mapper);
        AgentDefinition agent = agents.find(request.model()).orElseThrow(() -> OpenAiApi.modelNotFound(request.model()));
        var caller = RequestContext.caller(ctx);
        String header = ctx.header(OpenAiApi.SESSION_HEADER);
        if (header != null && !SessionIds.valid(header)) {
            throw ChatCompletionRequest.invalid(OpenAiApi.SESSION_HEADER, SessionIds.RULE);
        }
        String fromUser = header == null && SessionIds.valid(request.user()) ? request.user() : null;
        String sessionId = header != null ? header : fromUser;
        RunInput input = ChatInputs.of(request, sessionId, caller, agent.contractName() != null, mapper);
        if (sessionId != null) RequestContext.sessionId(ctx, sessionId);
        String id = "chatcmpl-" + RequestContext.requestId(ctx).replace("-", "");
        long created = clock.instant().getEpochSecond();
        try {
            run(ctx, request, input, id, created);
        } catch (NotFoundError e) {
            if (fromUser == null) throw e;
            // The user field named no session of the caller's: it is an end-user label, and the run starts a session.
            run(ctx, request, withoutSession(input), id, created);
        }
    }

    private void run(Context ctx, ChatCompletionRequest request, RunInput input, String id, long created) throws Exception {
        if (request.stream()) {
            new CompletionStream(runs, mapper, id, created, request.model(), request.includeUsage()).send(ctx, input);
            return;
        }
        AtomicReference<Object> complete = new AtomicReference<>();
        runs.runHere(input, new RunSink() {
            @Override
            public void publish(String type, Object data) {
                if (type.equals("complete")) complete.set(data);
            }

            @Override
            public void ended() { }
        }, run -> { });
        RunOutcome outcome = RunOutcome.of(complete.get());
        ctx.header(OpenAiApi.SESSION_HEADER, outcome.sessionId());
        ctx.json(ChatCompletion.of(id, created, request.model(), outcome.message(), outcome.finishReason(), outcome.usage()));
    }

    private static RunInput withoutSession(RunInput in) {
        return new RunInput(in.agent(), in.message(), null, in.context(), in.model(), in.caller(), in.schemaContract(),
                in.conversation(), in.maxTokens());
    }

}
