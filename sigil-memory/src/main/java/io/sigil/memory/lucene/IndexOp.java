package io.sigil.memory.lucene;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.sigil.memory.Category;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryJson;
import io.sigil.memory.Resource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One write to the store as the write-ahead log records it and the indexer applies it. Every operation is
 * idempotent (replace by id, delete by id), so applying one twice (a replay after a crash, a retried batch) is
 * harmless.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
        @JsonSubTypes.Type(value = IndexOp.PutResource.class, name = "resource"),
        @JsonSubTypes.Type(value = IndexOp.PutItems.class, name = "items"),
        @JsonSubTypes.Type(value = IndexOp.DeleteItem.class, name = "delete_item"),
        @JsonSubTypes.Type(value = IndexOp.PutCategory.class, name = "category")})
sealed interface IndexOp {

    record PutResource(Resource resource) implements IndexOp { }

    /**
     * Items with their vectors (little-endian floats), or with {@code vectors} null when the indexer is to embed
     * them (in one call for everything in its batch).
     */
    record PutItems(List<MemoryItem> items, List<byte[]> vectors) implements IndexOp {
        public PutItems {
            items = List.copyOf(items);
            if (vectors != null && vectors.size() != items.size()) throw new IllegalArgumentException("one vector per item");
        }

        static PutItems of(List<MemoryItem> items, List<float[]> vectors) {
            if (vectors == null) return new PutItems(items, null);
            var encoded = new ArrayList<byte[]>(vectors.size());
            for (float[] v : vectors) {
                var buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(v);
                encoded.add(buf.array());
            }
            return new PutItems(items, encoded);
        }

        boolean embedded() { return vectors != null; }

        List<float[]> floatVectors() {
            var out = new ArrayList<float[]>(vectors.size());
            for (byte[] b : vectors) {
                float[] v = new float[b.length / Float.BYTES];
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                out.add(v);
            }
            return out;
        }
    }

    record DeleteItem(String id) implements IndexOp { }

    record PutCategory(Category category) implements IndexOp { }

    default byte[] encode() {
        try {
            return MemoryJson.MAPPER.writerFor(IndexOp.class).writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static IndexOp decode(byte[] payload) {
        try {
            return MemoryJson.MAPPER.readValue(payload, IndexOp.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
