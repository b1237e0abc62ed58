package io.sigil.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** {@link ClusterBus} within this process: one replica is the whole cluster. Listeners run on the publisher's thread. */
public final class LocalClusterBus implements ClusterBus {
    private static final Logger log = LoggerFactory.getLogger(LocalClusterBus.class);
    private final Map<String, Set<Consumer<String>>> listeners = new ConcurrentHashMap<>();

    @Override
    public void publish(String channel, String message) { publishCounted(channel, message); }

    @Override
    public long publishCounted(String channel, String message) {
        Set<Consumer<String>> set = listeners.get(channel);
        if (set == null) return 0;
        long reached = 0;
        for (Consumer<String> l : set) {
            reached++;
            try {
                l.accept(message);
            } catch (RuntimeException e) {
                log.warn("A listener of channel {} failed: {}", channel, e.toString());
            }
        }
        return reached;
    }

    @Override
    public Subscription subscribe(String channel, Consumer<String> listener) {
        Consumer<String> own = listener::accept; // a distinct identity, so one listener may subscribe twice
        listeners.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet()).add(own);
        return () -> listeners.computeIfPresent(channel, (c, set) -> {
            set.remove(own);
            return set.isEmpty() ? null : set;
        });
    }

    @Override
    public boolean connected() { return true; }
}
