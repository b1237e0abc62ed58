package io.sigil.health;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A data directory (state, memory) is usable: it exists and is writable, or it does not exist yet and its nearest
 * existing ancestor is writable (stores create their directories on first use).
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
            return Files.isWritable(dir) ? Result.healthy("data directory writable")
                    : Result.unhealthy("data directory is not writable");
        }
        if (Files.exists(dir)) return Result.unhealthy("data directory path exists but is not a directory");
        Path ancestor = dir.getParent();
        while (ancestor != null && !Files.exists(ancestor)) ancestor = ancestor.getParent();
        if (ancestor != null && Files.isDirectory(ancestor) && Files.isWritable(ancestor)) {
            return Result.healthy("data directory will be created on first use");
        }
        return Result.unhealthy("data directory does not exist and cannot be created");
    }
}
