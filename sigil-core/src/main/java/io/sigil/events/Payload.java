package io.sigil.events;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An event's payload as the event keeps it: read-only, in the order it was given. Only this package makes one, from a
 * copy or from a map a decoder has just built and hands over, so nothing else holds the map behind it. An event made
 * from another ({@link Event#withAgent} and the like) or decoded from a store therefore takes it as it is: before,
 * every such event copied its payload again (a third of the sampled allocation of a PostgreSQL replay; a read of
 * 10,000 events from the file store allocates 10% less without it, docs/benchmarks.md). Nested maps and lists are
 * the caller's, as before: the payload is read-only at its top level.
 */
final class Payload extends AbstractMap<String, Object> {
    private final Map<String, Object> view;

    private Payload(Map<String, Object> owned) {
        this.view = Collections.unmodifiableMap(owned);
    }

    /** {@code payload} itself when it is one already, else a read-only copy; null is empty. */
    static Map<String, Object> of(Map<String, ?> payload) {
        if (payload == null) return Map.of();
        if (payload instanceof Payload p) return p;
        return new Payload(new LinkedHashMap<>(payload));
    }

    /** A map a decoder has just built and keeps no reference to, taken without a copy. */
    static Map<String, Object> adopt(LinkedHashMap<String, Object> fresh) {
        return new Payload(fresh);
    }

    @Override public Set<Entry<String, Object>> entrySet() { return view.entrySet(); }

    @Override public int size() { return view.size(); }

    @Override public boolean isEmpty() { return view.isEmpty(); }

    @Override public Object get(Object key) { return view.get(key); }

    @Override public boolean containsKey(Object key) { return view.containsKey(key); }

    @Override public Object getOrDefault(Object key, Object defaultValue) { return view.getOrDefault(key, defaultValue); }

    @Override public void forEach(BiConsumer<? super String, ? super Object> action) { view.forEach(action); }
}
