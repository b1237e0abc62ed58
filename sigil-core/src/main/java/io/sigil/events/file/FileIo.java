package io.sigil.events.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How the file store opens files and syncs directories. The seam where tests inject I/O failures (a channel
 * whose {@code force} fails) without mocking the store itself.
 */
public interface FileIo {

    FileChannel open(Path path, OpenOption... options) throws IOException;

    /** Makes a directory's entries (files created, renamed or deleted in it) durable. */
    void syncDirectory(Path dir) throws IOException;

    FileIo DEFAULT = new FileIo() {
        @Override
        public FileChannel open(Path path, OpenOption... options) throws IOException {
            return FileChannel.open(path, options);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            // On Linux and macOS a directory opened for reading can be fsynced; that persists its entries.
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    };
}
