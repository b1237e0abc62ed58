package io.sigil.llm;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What a provider adapter derives from a request's schema or tool (its SDK's form of it), kept per instance so that
 * a contract's or tool's schema is converted once, not on every call. By identity (equals would walk the schema) and
 * bounded (instances replaced over a long run, e.g. by a contract reload, are dropped all at once past the bound).
 */
public final class SdkForms<K, V> {
    private static final int MAX = 256;
    private final Map<K, V> forms = Collections.synchronizedMap(new IdentityHashMap<>());

    public V of(K key, Function<K, V> derive) {
        V known = forms.get(key);
        if (known != null) return known;
        if (forms.size() >= MAX) forms.clear();
        V form = derive.apply(key);
        forms.put(key, form);
        return form;
    }
}
