package io.sigil.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Jackson set up for virtual threads. Jackson recycles its 8-16 KB parse and write buffers per thread by default;
 * Sigil serves every request and run on a fresh virtual thread, so each JSON document used to allocate and zero
 * new buffers (the largest single cost of an event append in profiles). A shared concurrent pool hands buffers
 * from one thread to the next instead. Mappers on hot paths (events, HTTP bodies, memory hits) are built here.
 */
public final class JsonFactories {
    private JsonFactories() { }

    /** A JSON factory whose buffers are pooled across threads. */
    public static JsonFactory pooled() {
        return JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build();
    }

    /** A mapper builder over {@link #pooled()}. */
    public static JsonMapper.Builder mapper() {
        return JsonMapper.builder(pooled());
    }
}
