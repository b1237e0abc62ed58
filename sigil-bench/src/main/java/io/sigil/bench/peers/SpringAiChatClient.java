package io.sigil.bench.peers;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.converter.BeanOutputConverter;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/**
 * Spring AI 2.0: a {@code ChatClient} built once on its OpenAI model (the official SDK underneath), and
 * {@code .entity(converter, spec -> spec.useProviderStructuredOutput().validateSchema())}: the schema goes to the
 * provider as {@code response_format}, and the answer is validated against it and re-asked with the errors (Spring
 * AI's self-correcting loop). The converter (and so its schema) is built once too.
 */
final class SpringAiChatClient implements Contender {
    private final ChatClient client;
    private final BeanOutputConverter<LeadQualification> converter = new BeanOutputConverter<>(LeadQualification.class);

    SpringAiChatClient(String baseUrl) {
        OpenAiChatModel model = OpenAiChatModel.builder().options(OpenAiChatOptions.builder().baseUrl(baseUrl)
                .apiKey(KEY).model(MODEL).maxRetries(0).build()).build();
        this.client = ChatClient.builder(model).build();
    }

    @Override
    public String name() { return "springai"; }

    @Override
    public LeadQualification qualify(String task) {
        return client.prompt().user(task).call()
                .entity(converter, spec -> spec.useProviderStructuredOutput().validateSchema());
    }
}
