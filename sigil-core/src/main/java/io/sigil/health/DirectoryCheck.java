package io.sigil.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A data directory (state, memory, logs) is usable: its device is not full and a file can be created in it, or it
 * does not exist yet and its nearest existing ancestor is writable (stores create their directories on first use).
 */
public final class DirectoryCheck implements HealthCheck {
    /**
     * Below this many free bytes the directory counts as full (the event store leaves more than this free when it
     * reserves space ahead, so only real writes get it this low).
     */
    public static final long MIN_FREE_BYTES = 64 << 10;

    private final String name;
    private final Path dir;
    private final boolean critical;

    public DirectoryCheck(String name, Path dir, boolean critical) {
        this.name = name;
        this.dir = dir.toAbsolutePath().normalize();
        this.critical = critical;
    }

    @Override
    public String name() { return name; }

    @Override
    public boolean critical() { return critical; }

    @Override
    public Result check() {
        if (Files.isDirectory(dir)) {
            try {
                long free = Files.getFileStore(dir).getUsableSpace();
                if (free < MIN_FREE_BYTES) {
                    return Result.unhealthy("only " + free + " bytes free on the device holding " + dir
                            + ": writes are refused when it is full; free space or grow the volume");
                }
                Files.delete(Files.createTempFile(dir, ".sigil-health", ".tmp"));
                return Result.healthy(dir + " is writable (" + (free >> 20) + " MiB free)");
            } catch (IOException | SecurityException e) {
                return Result.unhealthy(dir + " is not writable (" + e.getClass().getSimpleName()
                        + "); fix its permissions or point the setting elsewhere");
            }
        }
        if (Files.exists(dir)) return Result.unhealthy(dir + " exists but is not a directory");
        Path existing = dir.getParent();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing != null && Files.isDirectory(existing) && Files.isWritable(existing)) {
            return Result.healthy(dir + " will be created (" + existing + " is writable)");
        }
        return Result.unhealthy(dir + " cannot be created ("
                + (existing == null ? "no existing parent" : existing + " is not writable") + ")");
    }
}
