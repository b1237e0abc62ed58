package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.sigil.auth.ApiKeys;
import io.sigil.auth.Scope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official {@code com.openai:openai-java} client, unmodified, against a whole Sigil server ({@code sigil serve}'s
 * assembly) with the offline test model: models, plain, streamed, json_schema and tool-calling completions, and the
 * errors it must raise as its own exception types. Its key is a Sigil API key sent as OpenAI sends keys.
 */
class OpenAiJavaClientTest {
    static final String HELPER = """
            {"name": "helper", "description": "Answers questions", "system_prompt": "You are a helpful assistant.",
             "model": "test", "memory_enabled": false, "planning_enabled": false}
            """;
    static final String WEATHER = "get_weather";

    @TempDir
    static Path dir;
    static TestServer server;
    static ApiKeys.Created key;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        server = TestServer.full(dir, TestServer.Options.defaults().testModel());
        assertThat(server.post("/agents", server.token(Scope.AGENTS_WRITE), HELPER).statusCode()).isEqualTo(201);
        key = server.keys.create("openai-client", Set.of(Scope.RUNS_EXECUTE, Scope.SESSIONS_READ), 10_000, null);
        client = client(key.plaintext(), 2);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static OpenAIClient client(String apiKey, int maxRetries) {
        return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + server.server().port() + "/v1")
                .apiKey(apiKey).maxRetries(maxRetries).timeout(Duration.ofSeconds(90)).build();
    }

    static ChatCompletionCreateParams.Builder ask(String question) {
        return ChatCompletionCreateParams.builder().model("helper").addSystemMessage("Be brief.").addUserMessage(question);
    }

    @Test
    void listsTheAgentsAsModels() {
        var models = client.models().list().data();
        assertThat(models).anySatisfy(m -> {
            assertThat(m.id()).isEqualTo("helper");
            assertThat(m.ownedBy()).isEqualTo("sigil");
        });
        assertThat(client.models().retrieve("helper").id()).isEqualTo("helper");
    }

    @Test
    void plainCompletionIsTheAgentsAnswerWithRealUsageAndIsRecordedInASessionOfTheCaller() {
        var raw = client.chat().completions().withRawResponse().create(ask("What is Sigil?").build());
        ChatCompletion completion = raw.parse();
        assertThat(completion.id()).startsWith("chatcmpl-");
        assertThat(completion.model()).isEqualTo("helper");
        var choice = completion.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        // The offline model echoes the start of its prompt: the client's system message is the request's context.
        assertThat(choice.message().content()).hasValueSatisfying(c -> assertThat(c)
                .contains("offline test model").contains("client_instructions"));
        var usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isPositive();
        assertThat(usage.completionTokens()).isPositive();
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());

        // The run is in a session the key's owner can read, with the question and the answer.
        String sessionId = raw.headers().values("Sigil-Session-Id").getFirst();
        JsonNode session = TestServer.json(server.get("/sessions/" + sessionId, "X-API-Key", key.plaintext()));
        assertThat(session.toString()).contains("What is Sigil?").contains("offline test model");

        // The session continues with the same header: the second run is recorded in it.
        var again = client.chat().completions().withRawResponse().create(ask("And what else?").build(),
                com.openai.core.RequestOptions.none());
        assertThat(again.headers().values("Sigil-Session-Id").getFirst()).isNotEqualTo(sessionId);
        var continued = client.chat().completions().create(ask("Tell me more.").putAdditionalHeader("Sigil-Session-Id",
                sessionId).build());
        assertThat(continued.choices().getFirst().message().content()).isPresent();
        assertThat(TestServer.json(server.get("/sessions/" + sessionId, "X-API-Key", key.plaintext())).toString())
                .contains("Tell me more.");
    }

    @Test
    void streamedCompletionIsWellFormedChunksEndingWithUsage() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ask("Stream me an answer").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build())) {
            stream.stream().forEach(c -> {
                chunks.add(c);
                accumulator.accumulate(c);
            });
        }
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(4);
        assertThat(chunks).allSatisfy(c -> {
            c.validate(); // every member the SDK requires is there, with the right types
            assertThat(c.id()).isEqualTo(chunks.getFirst().id());
            assertThat(c.model()).isEqualTo("helper");
        });
        assertThat(chunks.getFirst().choices().getFirst().delta().role()).isPresent();
        ChatCompletionChunk last = chunks.getLast();
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage()).hasValueSatisfying(u -> assertThat(u.totalTokens()).isPositive());
        ChatCompletionChunk finish = chunks.get(chunks.size() - 2);
        assertThat(finish.choices().getFirst().finishReason()).hasValue(ChatCompletionChunk.Choice.FinishReason.STOP);
        ChatCompletion whole = accumulator.chatCompletion();
        assertThat(whole.choices().getFirst().message().content()).hasValueSatisfying(c -> assertThat(c)
                .contains("offline test model"));
    }

    @Test
    void jsonSchemaCompletionReturnsJsonValidAgainstTheSchema() throws Exception {
        Map<String, Object> schema = Map.of("type", "object",
                "properties", Map.of("city", Map.of("type", "string", "minLength", 1),
                        "population", Map.of("type", "integer", "minimum", 0),
                        "tags", Map.of("type", "array", "items", Map.of("type", "string"))),
                "required", List.of("city", "population", "tags"), "additionalProperties", false);
        var format = ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                .name("city_facts").strict(true).schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                        .putAllAdditionalProperties(values(schema)).build()).build()).build();
        ChatCompletion completion = client.chat().completions().create(ask("Facts about Paris").responseFormat(format).build());
        String content = completion.choices().getFirst().message().content().orElseThrow();
        JsonNode json = TestServer.JSON.readTree(content);
        var validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(TestServer.JSON.valueToTree(schema));
        assertThat(validator.validate(json)).as(content).isEmpty();

        // A schema Sigil cannot hold output to is the client's mistake, named by param.
        var array = ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                .name("list").schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                        .putAdditionalProperty("type", JsonValue.from("array")).build()).build()).build();
        assertThatThrownBy(() -> client.chat().completions().create(ask("x").responseFormat(array).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e ->
                        assertThat(e.param()).hasValue("response_format.json_schema.schema"));
    }

    @Test
    void clientToolCallRoundTrip() {
        FunctionDefinition weather = FunctionDefinition.builder().name(WEATHER).description("Current weather of a city")
                .parameters(FunctionParameters.builder().putAllAdditionalProperties(values(Map.of("type", "object",
                        "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city")))).build())
                .build();
        ChatCompletionCreateParams first = ask("Use get_weather for Paris").addFunctionTool(weather).build();
        ChatCompletion calling = client.chat().completions().create(first);
        var choice = calling.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo(WEATHER);
        assertThat(call.function().arguments()).contains("city");

        // The client runs the tool and sends the result back: the run resumes and answers from it.
        ChatCompletion answer = client.chat().completions().create(first.toBuilder()
                .addMessage(choice.message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id())
                        .content("{\"city\": \"Paris\", \"sky\": \"sunny\", \"celsius\": 21}").build())
                .build());
        var done = answer.choices().getFirst();
        assertThat(done.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        // The offline model reports the tool result it was given (wrapped as untrusted data, so only its start shows).
        assertThat(done.message().content()).hasValueSatisfying(c -> assertThat(c)
                .contains("The tool " + WEATHER + " returned").contains("UNTRUSTED_DATA"));
    }

    @Test
    void errorsAreTheClientsOwnExceptions() {
        assertThatThrownBy(() -> client("sgk_not-a-key", 0).chat().completions().create(ask("hi").build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.code()).hasValue("invalid_api_key");
                });
        assertThatThrownBy(() -> client.chat().completions().create(ask("hi").model("no_such_agent").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).hasValue("model_not_found");
                    assertThat(e.param()).hasValue("model");
                });
        assertThatThrownBy(() -> client.chat().completions().create(ask("hi").n(2).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.param()).hasValue("n");
                    assertThat(e.type()).hasValue("invalid_request_error");
                });

        ApiKeys.Created limited = server.keys.create("limited", Set.of(Scope.RUNS_EXECUTE), 2, null);
        OpenAIClient metered = client(limited.plaintext(), 0);
        metered.models().list();
        metered.models().list();
        assertThatThrownBy(() -> metered.chat().completions().create(ask("hi").build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.code()).hasValue("rate_limit_exceeded");
                    assertThat(e.headers().values("Retry-After")).isNotEmpty();
                });
    }

    private static Map<String, JsonValue> values(Map<String, Object> map) {
        Map<String, JsonValue> out = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, JsonValue.from(v)));
        return out;
    }

}
