package io.sigil.paths;

import io.sigil.errors.InvalidInputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafePathsTest {
    @TempDir
    Path dir;

    @Test
    void aPlainNameIsADirectChild() {
        assertThat(SafePaths.child(dir, "ticket-1.0.0.yaml", "file")).isEqualTo(dir.toAbsolutePath().resolve("ticket-1.0.0.yaml"));
    }

    @Test
    void anythingThatLeavesTheDirectoryIsRefusedWithoutNamingIt() {
        for (String name : new String[] {"../x.yaml", "a/../../x", "sub/x.yaml", "..", ".", "", "a\\b", "/etc/passwd",
                "ticket-versions/../../../x.yaml"}) {
            assertThatThrownBy(() -> SafePaths.child(dir, name, "contract file name")).as(name)
                    .isInstanceOf(InvalidInputError.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(dir.toAbsolutePath().toString()));
        }
    }
}
