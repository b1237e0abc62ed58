package io.sigil.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A data directory (state, memory, logs) is usable: a file can be created in it, or it does not exist yet and
 * its nearest existing ancestor is writable (stores create their directories on first use).
 */
public final class DirectoryCheck implements HealthCheck {
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
                Files.delete(Files.createTempFile(dir, ".sigil-health", ".tmp"));
                return Result.healthy(dir + " is writable");
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
