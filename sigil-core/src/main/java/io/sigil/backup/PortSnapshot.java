package io.sigil.backup;

import io.sigil.agents.AgentDefinition;
import io.sigil.auth.ApiKey;
import io.sigil.contracts.Contract;
import io.sigil.events.Event;
import io.sigil.evolution.PromptVersion;
import io.sigil.events.RecordedEvent;

import java.util.List;
import java.util.function.Consumer;

/**
 * A snapshot read through the stores' ports, for backends without transactions (the file store). Events are
 * read up to the last position durable when the snapshot opened: the log only grows, so that prefix is a
 * consistent cut of the event store. Keys, agents, contracts and prompt versions (small, each replaced atomically on disk) are
 * read when the snapshot opens.
 */
public final class PortSnapshot implements StateSnapshot {
    private static final int PAGE = 1_000;

    private final StateStores stores;
    private final String source;
    private final long lastPosition;
    private final List<ApiKey> keys;
    private final List<AgentDefinition> agents;
    private final List<Contract> contracts;
    private final List<PromptVersion> promptVersions;

    public PortSnapshot(StateStores stores, String source) {
        this.stores = stores;
        this.source = source;
        this.lastPosition = stores.events().lastPosition();
        this.keys = stores.apiKeys().list();
        this.agents = stores.agents().list().stream().filter(a -> !stores.isBundledUnchanged(a)).toList();
        this.contracts = stores.contracts().stored();
        this.promptVersions = stores.promptVersions().all();
    }

    @Override
    public String source() { return source; }

    @Override
    public void events(Consumer<Event> sink) {
        long from = 1;
        while (from <= lastPosition) {
            List<RecordedEvent> page = stores.events().readAll(from, PAGE);
            if (page.isEmpty()) break;
            for (RecordedEvent e : page) {
                if (e.position() > lastPosition) return;
                sink.accept(e.event());
            }
            from = page.getLast().position() + 1;
        }
    }

    @Override
    public List<ApiKey> apiKeys() { return keys; }

    @Override
    public List<AgentDefinition> agents() { return agents; }

    @Override
    public List<Contract> contracts() { return contracts; }

    @Override
    public List<PromptVersion> promptVersions() { return promptVersions; }

    @Override
    public void close() { }
}
