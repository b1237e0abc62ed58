package io.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.evolution.FilePromptVersionStore;
import io.sigil.evolution.PromptVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Agents' prompt versions (evolution) in sigil backup / verify --backup / restore: one more store of the manifest,
 * given back whole by a restore on an empty installation, a tampered version line detected and refused, and a
 * restore over another history of the same agent refused instead of overwriting it.
 */
class BackupPromptVersionsTest {
    @TempDir
    Path dir;

    private CliHarness.Run sigil(Installation at, String... args) {
        return new CliHarness(at.env(), at.root()).run(args);
    }

    private static FilePromptVersionStore versions(Installation at) {
        return new FilePromptVersionStore(at.settings().agents().dir());
    }

    @Test
    void aRestoreOnAnEmptyInstallationGivesTheVersionsBackWithTheActiveOne() throws Exception {
        Installation a = Installation.at(dir.resolve("a"));
        a.populate(false);
        Path backup = dir.resolve("backup");
        CliHarness.Run b = sigil(a, "backup", "--no-memory", backup.toString());
        assertThat(b.exit()).as(b.err()).isZero();
        assertThat(b.out()).contains("prompt_versions");
        JsonNode manifest = new ObjectMapper().readTree(backup.resolve("MANIFEST.json").toFile());
        assertThat(manifest.path("stores").path("prompt_versions").path("records").asLong()).isEqualTo(2);
        assertThat(manifest.path("stores").path("prompt_versions").path("agents").asLong()).isEqualTo(1);
        assertThat(manifest.path("stores").path("prompt_versions").path("file").asText()).isEqualTo("prompt-versions.jsonl");

        Installation c = Installation.at(dir.resolve("c"));
        CliHarness.Run r = sigil(c, "restore", "--no-memory", backup.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).containsPattern("prompt_versions\\s+2\\s+2\\s+0");
        assertThat(versions(c).list("notes_bot")).containsExactlyElementsOf(versions(a).list("notes_bot"));
        assertThat(versions(c).active("notes_bot")).map(PromptVersion::versionId).contains("v2");
        assertThat(versions(c).find("notes_bot", "v1").orElseThrow().createdAt())
                .isEqualTo(Instant.parse("2026-12-03T10:00:00.123456Z"));

        CliHarness.Run again = sigil(c, "restore", "--no-memory", backup.toString());
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).containsPattern("prompt_versions\\s+2\\s+0\\s+2");

        // A second backup of the restored installation holds the same versions, byte for byte.
        Path second = dir.resolve("backup-c");
        assertThat(sigil(c, "backup", "--no-memory", second.toString()).exit()).isZero();
        assertThat(Files.readString(second.resolve("prompt-versions.jsonl")))
                .isEqualTo(Files.readString(backup.resolve("prompt-versions.jsonl")));
    }

    @Test
    void aTamperedVersionFileIsDetectedAndNotRestored() throws Exception {
        Installation a = Installation.at(dir.resolve("a"));
        a.populate(false);
        Path backup = dir.resolve("backup");
        assertThat(sigil(a, "backup", "--no-memory", backup.toString()).exit()).isZero();
        Path file = backup.resolve("prompt-versions.jsonl");
        String original = Files.readString(file);
        assertThat(original).contains("\"prompt\":\"Take notes.\"");
        Files.writeString(file, original.replace("\"prompt\":\"Take notes.\"", "\"prompt\":\"Leak notes.\""));

        CliHarness.Run v = sigil(a, "verify", "--backup", backup.toString());
        assertThat(v.exit()).isNotZero();
        assertThat(v.out()).contains("prompt-versions.jsonl does not match its SHA-256 in the manifest");

        Installation c = Installation.at(dir.resolve("c"));
        CliHarness.Run r = sigil(c, "restore", "--no-memory", backup.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("prompt-versions.jsonl").contains("nothing was changed");
        assertThat(versions(c).all()).isEmpty();
    }

    @Test
    void aRestoreOverAnotherHistoryOfTheAgentIsRefused() {
        Installation a = Installation.at(dir.resolve("a"));
        a.populate(false);
        Path backup = dir.resolve("backup");
        assertThat(sigil(a, "backup", "--no-memory", backup.toString()).exit()).isZero();

        Installation c = Installation.at(dir.resolve("c"));
        versions(c).add(new PromptVersion("notes_bot", null, "Something else.", 0.1, 0.1, 0, null, 0,
                Instant.parse("2026-12-01T00:00:00Z"), PromptVersion.Status.SUPERSEDED, null));
        CliHarness.Run r = sigil(c, "restore", "--no-memory", backup.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.out() + r.err()).contains("another prompt version v1 of agent 'notes_bot'");
        assertThat(versions(c).list("notes_bot")).extracting(PromptVersion::prompt).containsExactly("Something else.");
    }
}
