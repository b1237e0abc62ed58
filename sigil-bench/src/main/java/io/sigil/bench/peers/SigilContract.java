package io.sigil.bench.peers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.contracts.Contract;
import io.sigil.contracts.ContractExecutor;
import io.sigil.contracts.ContractLoader;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ResilientChatModel;
import io.sigil.llm.openai.OpenAiChatModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sigil: the contract (loaded once from {@code lead_qualification.yaml}) run by the contract executor on the OpenAI
 * provider wrapped in Sigil's resilience policy (retries, breaker, per-call timeout), as the runtime wires it. The
 * executor validates and re-asks by itself; the result is bound to the record with Jackson.
 */
final class SigilContract implements Contender {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ContractExecutor executor;
    private final Contract contract;

    SigilContract(String baseUrl) {
        Duration timeout = Duration.ofSeconds(60);
        ChatModel provider = OpenAiChatModel.builder().baseUrl(baseUrl).apiKey(KEY).model(MODEL).timeout(timeout).build();
        ChatModel model = ResilientChatModel.builder(provider).maxRetries(2).timeout(timeout).build();
        this.executor = ContractExecutor.builder(model).build();
        try (InputStream in = SigilContract.class.getResourceAsStream("lead_qualification.yaml")) {
            this.contract = new ContractLoader().load(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "lead_qualification.yaml").contract();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() { return "sigil"; }

    @Override
    public LeadQualification qualify(String task) {
        try {
            return JSON.treeToValue(executor.execute(contract, task).output(), LeadQualification.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a valid contract output did not bind to the record", e);
        }
    }
}
