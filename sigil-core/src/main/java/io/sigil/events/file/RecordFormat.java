package io.sigil.events.file;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * One record of a segment file, big-endian:
 * <pre>
 *  magic   int   0x53474C31 ("SGL1")
 *  length  int   body length
 *  crc     int   CRC32C of the length field and the body
 *  body:   kind byte (1 event, 2 tombstone), batch size int, batch index int, position long, version long,
 *          event id (2 longs), session id (u16 length + UTF-8), event type (u16 length + UTF-8), event JSON
 * </pre>
 * An append writes one batch of records; the batch fields let recovery keep or drop a batch as a whole.
 * The header repeats what the index needs, so rebuilding the index never parses JSON.
 */
final class RecordFormat {
    static final int MAGIC = 0x53474C31;
    static final int HEADER = 12;
    static final byte KIND_EVENT = 1;
    static final byte KIND_TOMBSTONE = 2;
    /** Fixed part of the body before the session id. */
    static final int BODY_FIXED = 1 + 4 + 4 + 8 + 8 + 16;
    static final int MIN_BODY = BODY_FIXED + 2 + 2;
    static final int MAX_BODY = 16 * 1024 * 1024;

    private RecordFormat() { }

    /** The header fields of a record that passed its checks. */
    record Header(long offset, int totalLength, byte kind, int batchSize, int batchIndex, long position,
                  long version, UUID eventId, String sessionId, String eventType, int jsonOffset, int jsonLength) {
        long end() { return offset + totalLength; }
    }

    static int size(String sessionId, String type, int jsonLength) {
        return HEADER + MIN_BODY + utf8(sessionId).length + utf8(type).length + jsonLength;
    }

    static void write(ByteBuffer out, byte kind, int batchSize, int batchIndex, long position, long version,
                      UUID eventId, String sessionId, String type, byte[] json) {
        byte[] s = utf8(sessionId);
        byte[] t = utf8(type);
        int bodyLength = MIN_BODY + s.length + t.length + json.length;
        int start = out.position();
        out.putInt(MAGIC).putInt(bodyLength).putInt(0);
        out.put(kind).putInt(batchSize).putInt(batchIndex).putLong(position).putLong(version)
                .putLong(eventId.getMostSignificantBits()).putLong(eventId.getLeastSignificantBits())
                .putShort((short) s.length).put(s).putShort((short) t.length).put(t).put(json);
        out.putInt(start + 8, crc(out, start + 4, bodyLength));
    }

    /** CRC32C of the length field and the body, given the position of the length field. */
    private static int crc(ByteBuffer buf, int lengthFieldAt, int bodyLength) {
        CRC32C c = new CRC32C();
        c.update(buf.slice(lengthFieldAt, 4));
        c.update(buf.slice(lengthFieldAt + 8, bodyLength));
        return (int) c.getValue();
    }

    /** Why a record at an offset cannot be used. */
    enum Problem { SHORT, BAD_MAGIC, BAD_LENGTH, BAD_CHECKSUM, BAD_BODY }

    /** A parsed record or the problem found; exactly one is non-null. */
    record Parsed(Header header, Problem problem) { }

    /**
     * Parses the record at {@code at} of {@code buf} (absolute indices, {@code limit} = bytes available).
     * {@code fileOffset} is the file offset of index {@code at}.
     */
    static Parsed parse(ByteBuffer buf, int at, int limit, long fileOffset) {
        if (limit - at < HEADER) return problem(Problem.SHORT);
        if (buf.getInt(at) != MAGIC) return problem(Problem.BAD_MAGIC);
        int length = buf.getInt(at + 4);
        if (length < MIN_BODY || length > MAX_BODY) return problem(Problem.BAD_LENGTH);
        if (limit - at - HEADER < length) return problem(Problem.SHORT);
        if (crc(buf, at + 4, length) != buf.getInt(at + 8)) return problem(Problem.BAD_CHECKSUM);
        int p = at + HEADER;
        int end = p + length;
        byte kind = buf.get(p);
        int batchSize = buf.getInt(p + 1);
        int batchIndex = buf.getInt(p + 5);
        long position = buf.getLong(p + 9);
        long version = buf.getLong(p + 17);
        UUID id = new UUID(buf.getLong(p + 25), buf.getLong(p + 33));
        p += BODY_FIXED;
        int sl = Short.toUnsignedInt(buf.getShort(p));
        if (p + 2 + sl + 2 > end) return problem(Problem.BAD_BODY);
        String session = string(buf, p + 2, sl);
        p += 2 + sl;
        int tl = Short.toUnsignedInt(buf.getShort(p));
        if (p + 2 + tl > end) return problem(Problem.BAD_BODY);
        String type = string(buf, p + 2, tl);
        p += 2 + tl;
        if ((kind != KIND_EVENT && kind != KIND_TOMBSTONE) || batchSize < 1 || batchIndex < 0 || batchIndex >= batchSize) {
            return problem(Problem.BAD_BODY);
        }
        return new Parsed(new Header(fileOffset, HEADER + length, kind, batchSize, batchIndex, position, version, id,
                session, type, p - at, end - p), null);
    }

    private static Parsed problem(Problem p) { return new Parsed(null, p); }

    /**
     * The checksum-verified length of the record at {@code at}, or -1 when it fails its checks. The read path uses
     * this: the index already knows the record is whole, so only the bytes are checked again.
     */
    static int verifiedLength(ByteBuffer buf, int at, int limit) {
        if (limit - at < HEADER || buf.getInt(at) != MAGIC) return -1;
        int length = buf.getInt(at + 4);
        if (length < MIN_BODY || length > MAX_BODY || limit - at - HEADER < length) return -1;
        return crc(buf, at + 4, length) == buf.getInt(at + 8) ? HEADER + length : -1;
    }

    static long position(ByteBuffer buf, int at) { return buf.getLong(at + HEADER + 9); }

    static long version(ByteBuffer buf, int at) { return buf.getLong(at + HEADER + 17); }

    /** Offset of the event JSON from the record start. */
    static int jsonOffset(ByteBuffer buf, int at) {
        int p = at + HEADER + BODY_FIXED;
        p += 2 + Short.toUnsignedInt(buf.getShort(p));
        p += 2 + Short.toUnsignedInt(buf.getShort(p));
        return p - at;
    }

    private static String string(ByteBuffer buf, int at, int len) {
        byte[] b = new byte[len];
        buf.get(at, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
