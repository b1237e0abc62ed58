package io.sigil.events.file;

import io.sigil.errors.StorageFullError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether {@link FileEventStore} ran out of disk space. An append that found no space was not written (the segment's
 * end stays where it was, so the next append writes over any partial bytes, and recovery cuts them as a torn tail);
 * nothing stops, and appends are tried again as they come: they succeed as soon as space is freed.
 */
final class SpaceWatch {
    private static final Logger log = LoggerFactory.getLogger(SpaceWatch.class);
    /** Free bytes at which a store that ran out of space reports itself usable again. */
    static final long RESUME_FREE_BYTES = 256 << 10;

    private final String where;
    private final Path logDir;
    /** Why the last append was refused for lack of space (null: appends are accepted); cleared by the next success. */
    private volatile String noSpace;

    SpaceWatch(String where, Path logDir) {
        this.where = where;
        this.logDir = logDir;
    }

    /** An append succeeded: there is space. */
    void written() { noSpace = null; }

    /** An append found no space: remembered (and logged once) for health checks; the error to throw. */
    StorageFullError full(IOException cause) {
        if (noSpace == null) log.error("event store {} is out of space: appends are refused until space is freed", where);
        noSpace = "no space left on the device holding " + where + ": appends are refused until space is freed";
        return new StorageFullError("events", cause);
    }

    /** Why appends are refused for lack of space, or empty once the device has {@link #RESUME_FREE_BYTES} free. */
    Optional<String> problem() {
        String full = noSpace;
        if (full == null) return Optional.empty();
        try {
            long free = Files.getFileStore(logDir).getUsableSpace();
            if (free >= RESUME_FREE_BYTES) {
                noSpace = null; // space was freed: the next append will tell if it is still not enough
                return Optional.empty();
            }
            return Optional.of(full + " (" + free + " bytes free)");
        } catch (IOException e) {
            return Optional.of(full);
        }
    }
}
