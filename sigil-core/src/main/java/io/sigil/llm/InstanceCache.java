package io.sigil.llm;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What is derived once from an instance and reused on every call: a provider adapter's SDK form of a schema or tool,
 * a contract executor's prompts for a contract. By identity (equals would walk the schema) and bounded (instances
 * replaced over a long run, e.g. by a contract reload, are dropped all at once past the bound).
 *
 * <p>Every call reads and almost none writes, so reads take no lock: the map is replaced on a write, never changed.
 */
public final class InstanceCache<K, V> {
    private static final int MAX = 256;
    private volatile Map<K, V> forms = new IdentityHashMap<>();

    public V of(K key, Function<K, V> derive) {
        V known = forms.get(key);
        if (known != null) return known;
        V form = derive.apply(key);
        synchronized (this) {
            Map<K, V> next = forms.size() >= MAX ? new IdentityHashMap<>() : new IdentityHashMap<>(forms);
            V first = next.putIfAbsent(key, form); // a racing caller derived it too: keep one
            forms = next;
            return first != null ? first : form;
        }
    }
}
