package io.sigil.evolution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Appends cases to an agent's {@code cases.jsonl}, skipping ids the agent's cases already have. */
final class CaseFiles {
    private CaseFiles() { }

    static int append(Path agentsDir, String agent, List<TestCase> cases) {
        Path dir = TestCases.dir(agentsDir, agent);
        Path file = dir.resolve(TestCases.JSONL_FILE);
        try {
            Files.createDirectories(dir);
            Set<String> ids = new HashSet<>();
            if (Files.isRegularFile(file)) {
                TestCases.parseJsonl(Files.readString(file, StandardCharsets.UTF_8), file.toString()).forEach(c -> ids.add(c.id()));
            }
            List<TestCase> fresh = cases.stream().filter(c -> ids.add(c.id())).toList();
            if (!fresh.isEmpty()) {
                Files.writeString(file, TestCases.toJsonl(fresh), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            return fresh.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
