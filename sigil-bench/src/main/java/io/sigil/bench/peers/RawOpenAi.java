package io.sigil.bench.peers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import java.util.List;
import java.util.Map;

/**
 * The baseline: the official {@code openai-java} SDK and Jackson, by hand. The JSON schema (with the same field
 * descriptions as the others) is written once; an invalid answer is repaired by sending it back with its problems.
 */
final class RawOpenAi implements Contender {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REPAIRS = 2;

    private final OpenAIClient client;
    private final ResponseFormatJsonSchema format;

    RawOpenAi(String baseUrl) {
        this.client = OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(KEY).maxRetries(0).build();
        Map<String, Object> text = Map.of("type", "string");
        Map<String, Object> schema = Map.of("type", "object", "additionalProperties", false,
                "required", List.of("score", "bant", "recommendedAction"),
                "properties", Map.of(
                        "score", Map.of("type", "integer",
                                "description", "Lead quality from 0 (unqualified) to 100 (ready to buy)"),
                        "bant", Map.of("type", "object", "additionalProperties", false,
                                "description", "Budget, authority, need and timeline, each assessed in a sentence",
                                "required", List.of("budget", "authority", "need", "timeline"),
                                "properties", Map.of("budget", text, "authority", text, "need", text, "timeline", text)),
                        "recommendedAction", Map.of("type", "string",
                                "description", "The next step for the sales team")));
        ResponseFormatJsonSchema.JsonSchema.Schema.Builder s = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
        schema.forEach((k, v) -> s.putAdditionalProperty(k, JsonValue.from(v)));
        this.format = ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                .name("lead_qualification").schema(s.build()).build()).build();
    }

    @Override
    public String name() { return "raw"; }

    @Override
    public LeadQualification qualify(String task) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model(MODEL)
                .addUserMessage(task).responseFormat(format);
        for (int attempt = 0; ; attempt++) {
            String answer = client.chat().completions().create(params.build()).choices().getFirst().message()
                    .content().orElse("");
            List<String> problems;
            LeadQualification q = null;
            try {
                q = JSON.readValue(answer, LeadQualification.class);
                problems = LeadTask.problems(q);
            } catch (JsonProcessingException e) {
                problems = List.of("the answer is not the JSON object asked for: " + e.getOriginalMessage());
            }
            if (problems.isEmpty()) return q;
            if (attempt == MAX_REPAIRS) throw new IllegalStateException("no valid answer: " + problems);
            params = ChatCompletionCreateParams.builder().model(MODEL).addUserMessage(task).responseFormat(format)
                    .addAssistantMessage(answer)
                    .addUserMessage("Your answer is invalid: " + String.join("; ", problems)
                            + ". Answer again with the corrected JSON object.");
        }
    }
}
