package io.sigil.evolution;

import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.FileAgentRegistry;
import io.sigil.config.Settings;
import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractTemplates;
import io.sigil.contracts.FileContractRegistry;
import io.sigil.events.file.FileEventStore;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.Message;
import io.sigil.llm.test.TestModel;
import io.sigil.reasoning.StrategyName;
import io.sigil.sessions.SessionManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An agent {@code qualifier} held to the contract {@code lead_brief} (a score and a timeline), its cases, and a
 * deterministic scripted model whose answers depend on the prompt: the agent's draft states the buyer's timeline only
 * when its system prompt asks for the timeline, and the contract stage delivers a timeline only when the draft has
 * one. Rewrites and judges are answered by functions a test sets.
 */
public final class EvolutionFixture implements AutoCloseable {
    static final String PROMPT = "You qualify sales leads for the sales team. Read what the user says about the lead"
            + " and judge how ready the company is to buy. Give a score from 0 to 100 and base every judgement on the"
            + " facts given, never on guesses.";
    static final String CONTRACT = """
            name: lead_brief
            description: A lead's score and its buying timeline.
            deliverables:
              - name: score
                type: int
                description: Lead quality 0-100
                rules: ["0 <= value <= 100"]
              - name: timeline
                type: str
                description: When the lead intends to buy
                rules: ["len(value) > 0"]
            failure_strategy: fallback
            max_retries: 0
            """;
    static final List<String> COMPANIES = List.of("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne",
            "Wonka", "Tyrell", "Cyberdyne");

    final Path dir;
    final FileEventStore store;
    final SessionManager sessions;
    final FileAgentRegistry agents;
    final FilePromptVersionStore versions;
    final FileContractRegistry contracts;
    final AgentDefinitions definitions;
    /** When the agent's draft states the timeline (default: the prompt mentions the timeline). */
    volatile Function<ChatRequest, Boolean> statesTimeline = r -> system(r).toLowerCase().contains("timeline");
    /** The reflective rewrite's answer, from its request (default: the parent plus a timeline instruction). */
    volatile Function<ChatRequest, String> rewrite = r -> "{\"prompts\": [" + quote(parent(r)
            + " Always state the buyer's timeline.") + "]}";
    /** The judge's answer. */
    volatile Function<ChatRequest, String> judge = r -> "{\"score\": 1, \"reason\": \"fine\"}";
    final TestModel model = TestModel.scripted(this::answer);

    EvolutionFixture(Path dir, int cases) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("agents"));
        Files.createDirectories(dir.resolve("contracts"));
        Files.writeString(dir.resolve("contracts/lead_brief.yaml"), CONTRACT);
        Files.writeString(dir.resolve("agents/qualifier.yaml"), "name: qualifier\ndescription: Qualifies leads\n"
                + "strategy: direct\ncontract_name: lead_brief\nsystem_prompt: " + quote(PROMPT) + "\n");
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < cases; i++) {
            jsonl.append("{\"id\": \"c").append(i + 1).append("\", \"input\": \"").append(COMPANIES.get(i))
                    .append(" has 200 staff, the VP of Sales asked for a demo and wants it live next quarter\"}\n");
        }
        Files.createDirectories(TestCases.dir(dir.resolve("agents"), "qualifier"));
        Files.writeString(TestCases.dir(dir.resolve("agents"), "qualifier").resolve(TestCases.JSONL_FILE), jsonl);
        store = FileEventStore.open(dir.resolve("state"), 10_000);
        sessions = new SessionManager(store);
        definitions = new AgentDefinitions(Arrays.stream(StrategyName.values()).map(StrategyName::wireName)
                .collect(Collectors.toSet()));
        agents = new FileAgentRegistry(dir.resolve("agents"), definitions);
        versions = new FilePromptVersionStore(dir.resolve("agents"));
        ContractLoader loader = new ContractLoader();
        contracts = new FileContractRegistry(dir.resolve("contracts"), loader, new ContractTemplates(loader));
    }

    EvolutionService service(boolean enabled) { return service(enabled, model); }

    EvolutionService service(boolean enabled, ChatModel helper) { return service(enabled, helper, model); }

    /** The service with {@code helper} for rewrites and judges and {@code pipeline} answering the agent's runs. */
    EvolutionService service(boolean enabled, ChatModel helper, ChatModel pipeline) {
        Settings settings = Settings.defaults();
        return EvolutionService.builder().enabled(enabled).agents(agents).contracts(contracts).versions(versions)
                .sessions(sessions).agentsDir(dir.resolve("agents")).models(s -> helper)
                .pipelines((agent, cost) -> PipelineCaseRunner.builder().agent(agent).definitions(definitions)
                        .models(s -> pipeline).contracts(contracts).settings(settings).cost(cost).build())
                .build();
    }

    private ChatResponse answer(ChatRequest r) {
        if (r.outputSchema() != null && r.outputSchema().name().equals("prompt_candidates")) return TestModel.text(rewrite.apply(r));
        if (r.outputSchema() != null && r.outputSchema().name().equals("grade")) return TestModel.text(judge.apply(r));
        if (r.outputSchema() != null) {
            boolean timeline = r.messages().stream().anyMatch(m -> text(m).contains("TIMELINE:"));
            return TestModel.text(timeline ? "{\"score\": 70, \"timeline\": \"next quarter\"}" : "{\"score\": 70}");
        }
        return TestModel.text("The lead looks promising." + (statesTimeline.apply(r) ? " TIMELINE: next quarter." : ""));
    }

    static String system(ChatRequest r) { return r.system() == null ? "" : r.system(); }

    static String text(Message m) { return m instanceof Message.User u ? u.text() : m instanceof Message.Assistant a ? a.text() : ""; }

    /** The prompt a rewrite request shows between its markers. */
    static String parent(ChatRequest r) {
        Matcher m = Pattern.compile("<<<\n(.*?)\n>>>", Pattern.DOTALL).matcher(text(r.messages().getFirst()));
        return m.find() ? m.group(1) : "";
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    String prompt() { return agents.get("qualifier").systemPrompt(); }

    @Override
    public void close() { store.close(); }
}
