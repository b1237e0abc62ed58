package io.sigil.postgres;

import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryJson;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bulk upsert of memory items: the rows are streamed with {@code COPY} into a session-local staging table, then
 * moved with one {@code INSERT ... SELECT ... ON CONFLICT}. A JDBC batch executes one INSERT per row on the server;
 * this parses and plans two statements for the whole batch, and the vectors travel as hex without per-row protocol
 * messages. Runs inside the caller's transaction; the staging table empties itself at commit.
 */
final class MemoryItemCopy {
    /** Below this, a batch of single-row upserts costs less than the staging round trips. */
    static final int MIN_ROWS = 64;
    private static final int FLUSH_BYTES = 1 << 20;
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String COLUMNS = MemoryRows.ITEM_COLUMNS + ", embedding, embedding_model";

    private MemoryItemCopy() { }

    /** Upserts {@code items} (the last of several with one id wins, as with one upsert after another). */
    static void upsert(Connection c, List<MemoryItem> items, List<float[]> vectors, String model) throws SQLException {
        Map<String, Integer> last = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            last.remove(items.get(i).id()); // keep the batch's order of last occurrences
            last.put(items.get(i).id(), i);
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE IF NOT EXISTS memory_items_staging (LIKE memory_items) ON COMMIT DELETE ROWS");
        }
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY memory_items_staging (" + COLUMNS + ") FROM STDIN");
        try {
            var buf = new ByteArrayOutputStream(FLUSH_BYTES + (64 << 10));
            var row = new StringBuilder(4096);
            for (int i : last.values()) {
                row.setLength(0);
                appendRow(row, items.get(i), vectors.get(i), model);
                byte[] bytes = row.toString().getBytes(StandardCharsets.UTF_8);
                buf.write(bytes, 0, bytes.length);
                if (buf.size() >= FLUSH_BYTES) {
                    copy.writeToCopy(buf.toByteArray(), 0, buf.size());
                    buf.reset();
                }
            }
            if (buf.size() > 0) copy.writeToCopy(buf.toByteArray(), 0, buf.size());
            copy.endCopy();
        } finally {
            if (copy.isActive()) copy.cancelCopy();
        }
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO memory_items (" + COLUMNS + ") SELECT " + COLUMNS + " FROM memory_items_staging "
                    + MemoryRows.ON_ITEM_CONFLICT);
            st.execute("TRUNCATE memory_items_staging"); // a second batch in this transaction starts empty
        }
    }

    /** One row in COPY's text format: tab-separated, {@code \N} for null, bytea as {@code \\x} hex. */
    private static void appendRow(StringBuilder row, MemoryItem item, float[] vector, String model) {
        field(row, item.id()).append('\t');
        field(row, item.sourceResourceId()).append('\t');
        field(row, item.content()).append('\t');
        field(row, item.category()).append('\t');
        row.append(item.confidence()).append('\t');
        field(row, MemoryJson.write(item.metadata())).append('\t');
        field(row, item.scope().key()).append('\t');
        Instant at = item.createdAt();
        int belowMicro = at.getNano() % 1000;
        row.append(at.minusNanos(belowMicro)).append('\t').append(belowMicro).append('\t');
        row.append("\\\\x");
        for (byte b : MemoryRows.encode(vector)) row.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        row.append('\t');
        field(row, model).append('\n');
    }

    private static StringBuilder field(StringBuilder row, String value) {
        if (value == null) return row.append("\\N");
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> row.append("\\\\");
                case '\n' -> row.append("\\n");
                case '\r' -> row.append("\\r");
                case '\t' -> row.append("\\t");
                default -> row.append(ch);
            }
        }
        return row;
    }
}
