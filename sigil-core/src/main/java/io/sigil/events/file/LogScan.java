package io.sigil.events.file;

import io.sigil.events.Event;
import io.sigil.events.EventCodec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a log directory from the start and tells what is in it: each segment's valid end (the end of its last
 * complete batch), the index, a torn tail (an incomplete last batch, safe to cut) and corruption (a damaged
 * record followed by good ones, a damaged record in a segment that is not the last, a gap in positions or
 * versions). Used on open, by {@code sigil verify} and by backup.
 */
final class LogScan {
    private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{8})\\.log");

    record SegmentFile(int number, Path path) { }

    /**
     * One segment: its file size, the end of its last complete batch, and whether everything after that is
     * zeros (space the store preallocated, not a torn write).
     */
    record SegmentState(SegmentFile file, long size, long validEnd, boolean zeroTail) {
        boolean torn() { return validEnd < size && !zeroTail; }
    }

    /** What a scan found. {@code index} covers every complete batch before the first corruption. */
    record Result(List<SegmentState> segments, LogIndex index, List<String> corruption, List<String> tornTails,
                  long records) {
        boolean corrupted() { return !corruption.isEmpty(); }
    }

    private LogScan() { }

    static String segmentName(int number) { return "segment-%08d.log".formatted(number); }

    static List<SegmentFile> segments(Path logDir) throws IOException {
        if (!Files.isDirectory(logDir)) return List.of();
        var out = new ArrayList<SegmentFile>();
        try (Stream<Path> files = Files.list(logDir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = SEGMENT.matcher(p.getFileName().toString());
                if (m.matches()) out.add(new SegmentFile(Integer.parseInt(m.group(1)), p));
            }
        }
        out.sort((a, b) -> Integer.compare(a.number(), b.number()));
        return out;
    }

    /**
     * Scans every segment. With {@code codec} non-null each event's JSON is also decoded and compared with its
     * header (what {@code sigil verify} does); without, only headers and checksums are read (fast open).
     */
    static Result scan(Path logDir, FileIo io, EventCodec codec) throws IOException {
        List<SegmentFile> files = segments(logDir);
        var index = new LogIndex();
        var corruption = new ArrayList<String>();
        var torn = new ArrayList<String>();
        var states = new ArrayList<SegmentState>();
        long records = 0;
        // A torn tail in a segment followed only by empty segments (zeros, no record) is the log's torn tail: the
        // store makes the next segment ahead (Preallocator), so a crash can leave one after the segment it was
        // appending to. Anything written after it makes it damage.
        String tornBeforeEmpty = null;
        long tornBytes = 0;
        for (int i = 0; i < files.size() && corruption.isEmpty(); i++) {
            SegmentFile f = files.get(i);
            if (f.number() != i + 1) {
                corruption.add("segment " + segmentName(i + 1) + " is missing (found " + f.path().getFileName() + ")");
                break;
            }
            boolean last = i == files.size() - 1;
            try (FileChannel ch = io.open(f.path(), StandardOpenOption.READ)) {
                long size = ch.size();
                if (size > Integer.MAX_VALUE) {
                    corruption.add(f.path().getFileName() + " is larger than 2 GiB, which Sigil never writes");
                    break;
                }
                MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
                var seg = new SegmentScanner(f, buf, (int) size, index, codec, corruption);
                seg.run();
                records += seg.records;
                boolean zeroTail = allZero(buf, (int) seg.validEnd, (int) size);
                states.add(new SegmentState(f, size, seg.validEnd, zeroTail));
                boolean empty = seg.validEnd == 0 && zeroTail;
                if (tornBeforeEmpty != null && !empty) {
                    corruption.add("damaged record at " + tornBeforeEmpty + " in a segment that is not the last, "
                            + "followed by data in " + f.path().getFileName());
                    break;
                }
                if (corruption.isEmpty() && seg.validEnd < size && !zeroTail) {
                    String where = f.path().getFileName() + " offset " + seg.validEnd;
                    if (last) {
                        torn.add("incomplete last batch at " + where + " (" + (size - seg.validEnd)
                                + " bytes that were never acknowledged)");
                    } else {
                        tornBeforeEmpty = where;
                        tornBytes = size - seg.validEnd;
                    }
                }
            }
        }
        if (tornBeforeEmpty != null && corruption.isEmpty()) {
            torn.add("incomplete last batch at " + tornBeforeEmpty + " (" + tornBytes
                    + " bytes that were never acknowledged; only empty segments follow it)");
        }
        return new Result(List.copyOf(states), index, List.copyOf(corruption), List.copyOf(torn), records);
    }

    static boolean allZero(ByteBuffer buf, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) if (buf.getLong(i) != 0) return false;
        for (; i < to; i++) if (buf.get(i) != 0) return false;
        return true;
    }

    /** One pass over one segment, batch by batch. */
    private static final class SegmentScanner {
        private final SegmentFile file;
        private final ByteBuffer buf;
        private final int size;
        private final LogIndex index;
        private final EventCodec codec;
        private final List<String> corruption;
        private final List<RecordFormat.Header> batch = new ArrayList<>();
        long validEnd;
        long records;

        SegmentScanner(SegmentFile file, ByteBuffer buf, int size, LogIndex index, EventCodec codec,
                       List<String> corruption) {
            this.file = file;
            this.buf = buf;
            this.size = size;
            this.index = index;
            this.codec = codec;
            this.corruption = corruption;
        }

        void run() {
            int at = 0;
            int reread = -1;
            while (at < size) {
                RecordFormat.Parsed p = RecordFormat.parse(buf, at, size, at);
                if (p.problem() != null) {
                    if (allZero(buf, at, size)) return; // preallocated space
                    int next = nextValidRecord(at + 1);
                    if (next >= 0 && reread != at) {
                        // The mapping shows a live file: a store appending while we scan can write this record after
                        // we read it and the next one before we look. Appends are sequential, so now that the next
                        // record is visible, this one is too: read it once more before calling it damage.
                        reread = at;
                        continue;
                    }
                    if (next >= 0) {
                        corrupt("damaged record (" + p.problem().name().toLowerCase().replace('_', ' ') + ") at "
                                + where(at) + ", followed by a good record at offset " + next);
                    }
                    return; // otherwise a torn tail: validEnd stays at the last complete batch
                }
                RecordFormat.Header h = p.header();
                if (!continuesBatch(h)) {
                    corrupt("record at " + where(at) + " (number " + h.batchIndex() + " of a batch of " + h.batchSize()
                            + ") does not continue the batch before it");
                    return;
                }
                batch.add(h);
                at = (int) h.end();
                if (batch.size() == h.batchSize()) {
                    if (!commitBatch()) return;
                    validEnd = at;
                }
            }
        }

        private boolean continuesBatch(RecordFormat.Header h) {
            if (batch.isEmpty()) return h.batchIndex() == 0;
            RecordFormat.Header first = batch.getFirst();
            return h.batchIndex() == batch.size() && h.batchSize() == first.batchSize();
        }

        private boolean commitBatch() {
            for (RecordFormat.Header h : batch) {
                records++;
                if (h.kind() == RecordFormat.KIND_TOMBSTONE) {
                    index.delete(h.sessionId());
                    continue;
                }
                String finding = index.addEvent(h.sessionId(), h.eventType(), h.eventId(), h.position(), h.version(),
                        file.number(), h.offset(), h.totalLength());
                if (finding == null && codec != null) finding = checkJson(h);
                if (finding != null) {
                    corrupt(finding + " at " + where(h.offset()));
                    return false;
                }
            }
            batch.clear();
            return true;
        }

        private String checkJson(RecordFormat.Header h) {
            byte[] json = new byte[h.jsonLength()];
            buf.get((int) h.offset() + h.jsonOffset(), json);
            try {
                Event e = codec.decode(json);
                if (!e.eventId().equals(h.eventId()) || !e.sessionId().equals(h.sessionId())
                        || !e.eventType().equals(h.eventType())) {
                    return "event JSON does not match its record header";
                }
                return null;
            } catch (RuntimeException ex) {
                return "event JSON cannot be read (" + ex.getMessage() + ")";
            }
        }

        /** The offset of the next record at or after {@code from} that passes its checks, or -1. */
        private int nextValidRecord(int from) {
            for (int at = from; at + RecordFormat.HEADER <= size; at++) {
                if (buf.getInt(at) == RecordFormat.MAGIC && RecordFormat.parse(buf, at, size, at).header() != null) {
                    return at;
                }
            }
            return -1;
        }

        private void corrupt(String finding) { corruption.add(finding); }

        private String where(long offset) { return file.path().getFileName() + " offset " + offset; }
    }
}
