package io.sigil.cli;

import io.sigil.agents.AgentDefinition;
import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.FileAgentRegistry;
import io.sigil.auth.ApiKeys;
import io.sigil.auth.FileApiKeyStore;
import io.sigil.auth.Scope;
import io.sigil.config.ConfigInputs;
import io.sigil.config.ConfigLoader;
import io.sigil.config.Settings;
import io.sigil.contracts.Contract;
import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractTemplates;
import io.sigil.contracts.Deliverable;
import io.sigil.contracts.FileContractRegistry;
import io.sigil.evolution.PromptVersion;
import io.sigil.events.EventType;
import io.sigil.events.file.FileEventStore;
import io.sigil.memory.Category;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.Resource;
import io.sigil.memory.ResourceType;
import io.sigil.memory.embed.Embedders;
import io.sigil.memory.lucene.LuceneMemoryStore;
import io.sigil.reasoning.StrategyName;
import io.sigil.sessions.SessionManager;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A file installation in a temporary directory (state, memory, agents, contracts), its environment and its data. */
record Installation(Path root, Map<String, String> env) {

    static Installation at(Path root) {
        Map<String, String> env = new HashMap<>();
        env.put("SIGIL_STATE_DATA_DIR", root.resolve("state").toString());
        env.put("SIGIL_MEMORY_DATA_DIR", root.resolve("memory").toString());
        env.put("SIGIL_AGENTS_DIR", root.resolve("agents").toString());
        env.put("SIGIL_CONTRACT_DIR", root.resolve("contracts").toString());
        return new Installation(root, env);
    }

    Installation with(String key, String value) {
        Map<String, String> e = new HashMap<>(env);
        e.put(key, value);
        return new Installation(root, e);
    }

    Settings settings() { return ConfigLoader.load(ConfigInputs.of(env, root)).settings(); }

    static AgentDefinitions definitions() {
        return new AgentDefinitions(Arrays.stream(StrategyName.values()).map(StrategyName::wireName).collect(Collectors.toSet()));
    }

    /**
     * Sessions with several events (one ended), two keys (one revoked, one used), an agent with two prompt versions
     * (v2 active), a contract; memory when asked.
     */
    void populate(boolean memory) {
        Settings s = settings();
        try (FileEventStore store = FileEventStore.open(s.state().dataDir(), 10_000)) {
            var sessions = new SessionManager(store);
            for (int i = 0; i < 5; i++) {
                String id = "session-" + i;
                sessions.create(id, "researcher", "user-" + i, Map.of("n", i));
                var sink = sessions.sink(id, "researcher", "req-" + i);
                sink.emit(EventType.MESSAGE_ADDED, Map.of("role", "user", "content", "question " + i, "z", 1, "a", List.of(1.5, "x")));
                sink.emit(EventType.LLM_CALLED, Map.of("provider", "test", "model", "test", "input_tokens", 10 + i, "output_tokens", 4));
                sink.emit(EventType.MESSAGE_ADDED, Map.of("role", "assistant", "content", "answer " + i));
            }
            sessions.end("session-0", "done");
        }
        var keyStore = new FileApiKeyStore(s.state().dataDir());
        var keys = new ApiKeys(keyStore, Clock.systemUTC());
        var used = keys.create("ci", Set.of(Scope.RUNS_EXECUTE, Scope.AGENTS_READ), 120, null);
        var revoked = keys.create("old", Set.of(Scope.ADMIN), 60, Instant.now().plusSeconds(86_400));
        keyStore.recordUse(Map.of(used.key().id(), Instant.parse("2026-12-01T10:00:00Z")));
        keyStore.revoke(revoked.key().id(), Instant.parse("2026-12-02T10:00:00Z"));
        new FileAgentRegistry(s.agents().dir(), definitions()).save(new AgentDefinition("notes_bot", "Keeps notes.",
                "Take notes.", "test", List.of("remember"), "quote", true, false, "direct", Map.of("team", "ops")));
        var versions = new io.sigil.evolution.FilePromptVersionStore(s.agents().dir());
        versions.add(new PromptVersion("notes_bot", null, "Notes.", 0.5, 0.8, 0, null, 0,
                Instant.parse("2026-12-03T10:00:00.123456Z"), PromptVersion.Status.SUPERSEDED, null));
        versions.activate("notes_bot", versions.add(new PromptVersion("notes_bot", null, "Take notes.", 0.75, 0.9, 0.25,
                "v1", 2, Instant.parse("2026-12-03T11:00:00Z"), PromptVersion.Status.SUPERSEDED, "opt-1")).versionId());
        ContractLoader loader = new ContractLoader();
        var contracts = new FileContractRegistry(s.contracts().dir(), loader, new ContractTemplates(loader));
        contracts.add(Contract.builder("quote").version("1.0.0").deliverable(Deliverable.builder("amount", "float").rule("value > 0")).build());
        contracts.add(Contract.builder("quote").version("1.2.0").description("with currency")
                .deliverable(Deliverable.builder("amount", "float")).deliverable(Deliverable.builder("currency", "str")).build());
        if (memory) {
            try (Embedder embedder = Embedders.fromSettings(s.memory(), s.llm());
                 LuceneMemoryStore m = LuceneMemoryStore.open(s.memory().dataDir(), embedder)) {
                var scope = io.sigil.memory.Scope.user("alice");
                Resource r = new Resource("res-1", ResourceType.CONVERSATION, "Alice likes green tea and hiking.",
                        Map.of("channel", "chat"), "session-1", scope, Instant.parse("2026-11-30T09:00:00Z"));
                m.putResource(r);
                m.putItems(List.of(
                        new MemoryItem("item-1", "res-1", "Alice likes green tea", "preferences", 0.9, Map.of("src", "rule", "b", "2"), scope, Instant.parse("2026-11-30T09:00:01Z")),
                        new MemoryItem("item-2", "res-1", "Alice goes hiking on weekends", "activities", 0.8, Map.of(), scope, Instant.parse("2026-11-30T09:00:02Z")),
                        new MemoryItem("item-3", null, "The office closes at 6 pm", "facts", 1.0, Map.of(), io.sigil.memory.Scope.GLOBAL, Instant.parse("2026-11-30T09:00:03Z"))));
                m.putCategory(new Category("preferences", "What Alice prefers", "- green tea", 0, Instant.parse("2026-11-30T10:00:00Z"), scope));
                m.flush();
            }
        }
    }
}
