package io.sigil.paths;

import io.sigil.errors.InvalidInputError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Where a backup may be written: a new or empty directory, so that a backup never mixes with older files. */
public final class BackupTargets {
    private BackupTargets() { }

    /** Refuses a target that is a file or a directory with anything in it. */
    public static void requireEmpty(Path target) {
        if (!Files.exists(target)) return;
        if (!Files.isDirectory(target)) {
            throw new InvalidInputError("backup target " + target + " is a file", "give a new or empty directory");
        }
        try (Stream<Path> s = Files.list(target)) {
            if (s.findAny().isPresent()) {
                throw new InvalidInputError("backup target " + target + " is not empty",
                        "give a new or empty directory, so a backup never mixes with older files");
            }
        } catch (IOException e) {
            throw new InvalidInputError("cannot read backup target " + target + ": " + e.getMessage(),
                    "give a new or empty directory you can write to");
        }
    }
}
