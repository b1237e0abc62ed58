package io.sigil.bench.peers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.guardrail.OutputGuardrail;
import dev.langchain4j.guardrail.OutputGuardrailResult;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;

import java.util.List;

/**
 * LangChain4j 1.19: an {@code AiServices} proxy built once on its OpenAI model with JSON-schema structured output
 * (the documented way to get a typed result), and an output guardrail that checks the answer and re-prompts with
 * its problems (LangChain4j's way to repair; it retries twice by default).
 */
final class LangChain4jAiService implements Contender {
    /** The service interface: the return type is the schema. */
    interface LeadQualifier {
        LeadQualification qualify(String task);
    }

    private final LeadQualifier service;

    LangChain4jAiService(String baseUrl) {
        ChatModel model = OpenAiChatModel.builder().baseUrl(baseUrl).apiKey(KEY).modelName(MODEL)
                .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA).strictJsonSchema(true)
                .maxRetries(0).build();
        this.service = AiServices.builder(LeadQualifier.class).chatModel(model)
                .outputGuardrails(new LeadGuardrail()).build();
    }

    @Override
    public String name() { return "langchain4j"; }

    @Override
    public LeadQualification qualify(String task) { return service.qualify(task); }

    /** Parses the answer once, checks it, and hands the parsed record on (or asks again with the problems). */
    static final class LeadGuardrail implements OutputGuardrail {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public OutputGuardrailResult validate(AiMessage answer) {
            List<String> problems;
            LeadQualification q = null;
            try {
                q = JSON.readValue(answer.text(), LeadQualification.class);
                problems = LeadTask.problems(q);
            } catch (JsonProcessingException e) {
                problems = List.of("the answer is not the JSON object asked for: " + e.getOriginalMessage());
            }
            if (problems.isEmpty()) return successWith(answer.text(), q);
            return reprompt("invalid lead qualification", "Your answer is invalid: " + String.join("; ", problems)
                    + ". Answer again with the corrected JSON object.");
        }
    }
}
