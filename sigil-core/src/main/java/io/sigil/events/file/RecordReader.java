package io.sigil.events.file;

import io.sigil.errors.StateError;
import io.sigil.events.Event;
import io.sigil.events.EventCodec;
import io.sigil.events.RecordedEvent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@link FileEventStore}'s records from its segment files without a lock (written records never change),
 * verifying each checksum. Where they are comes from the index, taken under the store's read lock
 * ({@link #locate}); the disk reads happen after it is released ({@link #load}).
 */
final class RecordReader {
    /** Positions with their packed locations and record lengths, taken from the index under the read lock. */
    record Locations(long[] positions, long[] locations, int[] lengths) { }

    private final List<Segment> segments;
    private final Runnable checkRunning;
    private final EventCodec codec = new EventCodec();

    /**
     * @param segments     the store's segments (copy-on-write: appended to while read)
     * @param checkRunning throws when the store is closed or stopped, to report that rather than a closed channel
     */
    RecordReader(List<Segment> segments, Runnable checkRunning) {
        this.segments = segments;
        this.checkRunning = checkRunning;
    }

    /** Where these positions' records are; the caller holds the index's read lock. */
    static Locations locate(LogIndex index, long[] positions) {
        long[] locations = new long[positions.length];
        int[] lengths = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            locations[i] = index.location(positions[i]);
            lengths[i] = index.length(positions[i]);
        }
        return new Locations(positions, locations, lengths);
    }

    /**
     * Reads the records at these locations, verifying each checksum. Neighbouring records are read with one
     * positional read. {@code firstVersion} is the version of the first one when they are one session's consecutive
     * events, else -1 (the version is then taken from the record header).
     */
    List<RecordedEvent> load(Locations where, long firstVersion) {
        long[] positions = where.positions();
        var out = new ArrayList<RecordedEvent>(positions.length);
        int i = 0;
        while (i < positions.length) {
            long loc = where.locations()[i];
            int seg = LogIndex.segmentOf(loc);
            long start = LogIndex.offsetOf(loc);
            long end = start + where.lengths()[i];
            int j = i + 1;
            while (j < positions.length && end - start < (1 << 20)) {
                long l = where.locations()[j];
                if (LogIndex.segmentOf(l) != seg || LogIndex.offsetOf(l) != end) break;
                end += where.lengths()[j];
                j++;
            }
            ByteBuffer buf = readRange(segments.get(seg - 1), start, (int) (end - start));
            int at = 0;
            for (int k = i; k < j; k++) {
                int len = RecordFormat.verifiedLength(buf, at, buf.limit());
                if (len < 0 || RecordFormat.position(buf, at) != positions[k]) {
                    throw new StateError("the record of position " + positions[k] + " in " + LogScan.segmentName(seg)
                            + " at offset " + (start + at) + " fails its checksum",
                            "the file changed on disk after the store opened; run 'sigil verify'");
                }
                int json = RecordFormat.jsonOffset(buf, at);
                Event e = codec.decode(buf.array(), at + json, len - json);
                long version = firstVersion < 0 ? RecordFormat.version(buf, at) : firstVersion + k;
                out.add(new RecordedEvent(e, version, positions[k]));
                at += len;
            }
            i = j;
        }
        return out;
    }

    private ByteBuffer readRange(Segment seg, long offset, int length) {
        ByteBuffer buf = ByteBuffer.allocate(length);
        try {
            while (buf.hasRemaining()) {
                int r = seg.channel.read(buf, offset + buf.position());
                if (r < 0) throw new IOException("unexpected end of " + seg.path.getFileName());
            }
        } catch (IOException e) {
            checkRunning.run(); // closed or stopped meanwhile: say so rather than report the closed channel
            throw new StateError("cannot read " + seg.path + ": " + e.getMessage(), "check the disk");
        }
        return buf.flip();
    }
}
