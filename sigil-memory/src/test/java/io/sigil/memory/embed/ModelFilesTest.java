package io.sigil.memory.embed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

class ModelFilesTest {
    private static final LocalModel MODEL = LocalModel.MINILM_QUANTIZED;

    @TempDir
    Path cache;

    private static long crc(byte[] bytes) {
        var crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    @Test
    void aGraphInAJarIsExtractedOnceUnderItsCrcAndThenReused() throws Exception {
        var files = new ModelFiles(cache);
        Path copy = files.file(MODEL.loader(), MODEL.graphResource()).orElseThrow();
        byte[] original = ModelFiles.read(MODEL.loader(), MODEL.graphResource());
        assertThat(copy.getParent()).isEqualTo(cache);
        assertThat(copy.getFileName().toString())
                .isEqualTo(ModelFiles.copyName(MODEL.graphResource(), crc(original), original.length));
        assertThat(crc(Files.readAllBytes(copy))).isEqualTo(crc(original));

        FileTime written = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(copy, written);
        assertThat(files.file(MODEL.loader(), MODEL.graphResource())).contains(copy);
        assertThat(Files.getLastModifiedTime(copy)).as("not written again").isEqualTo(written);
        try (var listing = Files.list(cache)) {
            assertThat(listing.toList()).as("no temporary file left behind").containsExactly(copy);
        }
    }

    @Test
    void aCopyOfTheWrongSizeIsReplaced() throws Exception {
        var files = new ModelFiles(cache);
        Path copy = files.file(MODEL.loader(), MODEL.graphResource()).orElseThrow();
        long size = Files.size(copy);
        Files.write(copy, new byte[] {1, 2, 3}); // an interrupted copy made by hand, say
        assertThat(files.file(MODEL.loader(), MODEL.graphResource())).contains(copy);
        assertThat(Files.size(copy)).isEqualTo(size);
    }

    @Test
    void withoutACacheDirectoryOrWhereItCannotBeWrittenTheCallerReadsTheJar() throws Exception {
        assertThat(new ModelFiles(null).file(MODEL.loader(), MODEL.graphResource())).isEmpty();
        Path blocked = Files.writeString(cache.resolve("a-file"), "not a directory");
        assertThat(new ModelFiles(blocked.resolve("models")).file(MODEL.loader(), MODEL.graphResource())).isEmpty();
    }

    @Test
    void theCacheDirectoryComesFromSigilCacheDirThenXdgThenHome() {
        assertThat(ModelFiles.fromEnvironment(Map.of("SIGIL_CACHE_DIR", "/srv/sigil-cache", "HOME", "/home/maya"))
                .directory()).contains(Path.of("/srv/sigil-cache/models"));
        assertThat(ModelFiles.fromEnvironment(Map.of("XDG_CACHE_HOME", "/var/cache/maya", "HOME", "/home/maya"))
                .directory()).contains(Path.of("/var/cache/maya/sigil/models"));
        assertThat(ModelFiles.fromEnvironment(Map.of("XDG_CACHE_HOME", "relative", "HOME", "/home/maya"))
                .directory()).contains(Path.of("/home/maya/.cache/sigil/models"));
    }
}
