package io.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.auth.ApiKey;
import io.sigil.auth.FileApiKeyStore;
import io.sigil.events.file.FileEventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sigil backup / verify --backup / restore over all file state (events, API keys, agents, contracts, memory):
 * a restore into empty directories gives back the same state (a second backup of it has the same checksums),
 * a re-run writes nothing, a tampered or truncated backup is detected and refused.
 */
class BackupAllStateTest {
    @TempDir
    Path dir;

    private CliHarness.Run sigil(Installation at, String... args) {
        return new CliHarness(at.env(), at.root()).run(args);
    }

    private static Map<String, String> checksums(Path backup) throws Exception {
        JsonNode m = new ObjectMapper().readTree(backup.resolve("MANIFEST.json").toFile());
        Map<String, String> out = new HashMap<>();
        m.path("stores").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().path("sha256").asText()));
        return out;
    }

    @Test
    void aRestoreIntoEmptyDirectoriesGivesBackEveryStoreAndARerunWritesNothing() throws Exception {
        Installation a = Installation.at(dir.resolve("a"));
        a.populate(true);
        Path backup = dir.resolve("backup");
        CliHarness.Run b = sigil(a, "backup", backup.toString());
        assertThat(b.exit()).as(b.err()).isZero();
        assertThat(b.out()).contains("events").contains("21 records").contains("api_keys").contains("memory");
        JsonNode manifest = new ObjectMapper().readTree(backup.resolve("MANIFEST.json").toFile());
        assertThat(manifest.path("format_version").asInt()).isEqualTo(2);
        assertThat(manifest.path("stores").path("events").path("records").asLong()).isEqualTo(21); // 5 sessions of 4 events, one session.ended
        assertThat(manifest.path("stores").path("events").path("sessions").asLong()).isEqualTo(5);
        assertThat(manifest.path("stores").path("api_keys").path("records").asLong()).isEqualTo(2);
        assertThat(manifest.path("stores").path("agents").path("records").asLong()).isEqualTo(1); // bundled ones left out
        assertThat(manifest.path("stores").path("contracts").path("records").asLong()).isEqualTo(2);
        assertThat(manifest.path("stores").path("memory").path("items").asLong()).isEqualTo(3);
        assertThat(manifest.path("stores").path("memory").path("categories").asLong()).isEqualTo(3);

        CliHarness.Run v = sigil(a, "verify", "--backup", backup.toString());
        assertThat(v.exit()).as(v.out()).isZero();
        assertThat(v.out()).contains(": OK");

        Installation c = Installation.at(dir.resolve("c"));
        CliHarness.Run r = sigil(c, "restore", backup.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("events\\s+21\\s+21\\s+0");

        // Everything is back, as the stores read it.
        try (FileEventStore events = FileEventStore.openReadOnly(c.settings().state().dataDir(), 10_000)) {
            assertThat(events.sessions()).hasSize(5);
            assertThat(events.sessions().stream().filter(s -> s.sessionId().equals("session-0")).findFirst().orElseThrow().ended()).isTrue();
        }
        List<ApiKey> keys = new FileApiKeyStore(c.settings().state().dataDir()).list();
        assertThat(keys).hasSize(2).anySatisfy(k -> assertThat(k.revoked()).isTrue())
                .anySatisfy(k -> assertThat(k.lastUsedAt()).isEqualTo("2026-12-01T10:00:00Z"));
        assertThat(new FileApiKeyStore(c.settings().state().dataDir()).list())
                .containsExactlyInAnyOrderElementsOf(new FileApiKeyStore(a.settings().state().dataDir()).list());
        CliHarness.Run memory = sigil(c.with("SIGIL_USE_MEMORY", "true"), "memory", "search", "green tea", "--scope", "user:alice");
        assertThat(memory.out()).as(memory.err()).contains("Alice likes green tea");
        assertThat(sigil(c, "contracts", "list").out()).contains("quote").contains("1.2.0");
        assertThat(sigil(c, "agents", "list").out()).contains("notes_bot");

        // A backup of the restored installation holds byte-equal stores.
        Path again = dir.resolve("again");
        assertThat(sigil(c, "backup", again.toString()).exit()).isZero();
        assertThat(checksums(again)).isEqualTo(checksums(backup));

        // Re-running the restore writes nothing and changes nothing.
        CliHarness.Run rerun = sigil(c, "restore", backup.toString());
        assertThat(rerun.exit()).as(rerun.err()).isZero();
        assertThat(rerun.out()).containsPattern("events\\s+21\\s+0\\s+21").containsPattern("memory\\s+\\d+\\s+0\\s+\\d+");
        Path third = dir.resolve("third");
        assertThat(sigil(c, "backup", third.toString()).exit()).isZero();
        assertThat(checksums(third)).isEqualTo(checksums(backup));
    }

    @Test
    void withoutVectorsTheBackupHasNoVectorsPartAndARestoreEmbedsTheItemsAgain() throws Exception {
        Installation a = Installation.at(dir.resolve("a"));
        a.populate(true);
        Path backup = dir.resolve("backup");
        CliHarness.Run b = sigil(a, "backup", "--no-vectors", backup.toString());
        assertThat(b.exit()).as(b.err()).isZero();
        assertThat(Files.exists(backup.resolve("memory-vectors.jsonl"))).isFalse();
        assertThat(checksums(backup)).containsKey("memory").doesNotContainKey("memory_vectors");
        assertThat(sigil(a, "verify", "--backup", backup.toString()).out()).contains(": OK");

        Installation c = Installation.at(dir.resolve("c"));
        CliHarness.Run r = sigil(c, "restore", backup.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        CliHarness.Run memory = sigil(c.with("SIGIL_USE_MEMORY", "true"), "memory", "search", "green tea", "--scope", "user:alice");
        assertThat(memory.out()).as(memory.err()).contains("Alice likes green tea");
        // The stores themselves are the same as a full backup's.
        Path full = dir.resolve("full");
        assertThat(sigil(a, "backup", full.toString()).exit()).isZero();
        Map<String, String> withVectors = checksums(full);
        assertThat(withVectors.remove("memory_vectors")).isNotBlank();
        assertThat(checksums(backup)).isEqualTo(withVectors);
    }

    @Test
    void aRestoreIntoAStoreHoldingOtherSessionsIsRefused() {
        Installation a = Installation.at(dir.resolve("a"));
        a.populate(false);
        Path backup = dir.resolve("backup");
        assertThat(sigil(a, "backup", backup.toString()).exit()).isZero();
        Installation other = Installation.at(dir.resolve("other"));
        try (FileEventStore store = FileEventStore.open(other.settings().state().dataDir(), 100)) {
            new io.sigil.sessions.SessionManager(store).create("mine", "researcher", null, null);
        }
        CliHarness.Run r = sigil(other, "restore", backup.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("the target event store is not empty").contains("1 session(s)").contains("hint:");
    }

    @Test
    void tamperedTruncatedIncompleteAndExtendedBackupsAreDetectedAndNotRestored() throws Exception {
        Installation a = Installation.at(dir.resolve("a"));
        a.populate(false);
        Path backup = dir.resolve("backup");
        assertThat(sigil(a, "backup", backup.toString()).exit()).isZero();
        assertThat(Files.exists(backup.resolve("memory.jsonl"))).isFalse(); // no memory store in this installation

        // Grown: a key's record changed to a longer one.
        Path keys = backup.resolve("api-keys.jsonl");
        String original = Files.readString(keys);
        Files.writeString(keys, original.replace("\"rate_limit\":120", "\"rate_limit\":1200"));
        CliHarness.Run v = sigil(a, "verify", "--backup", backup.toString());
        assertThat(v.exit()).isEqualTo(1);
        assertThat(v.out()).contains("DAMAGED").contains("api-keys.jsonl").contains("bytes more than the manifest says");
        // Tampered: one character changed, same size.
        Files.writeString(keys, original.replace("\"rate_limit\":120", "\"rate_limit\":121"));
        v = sigil(a, "verify", "--backup", backup.toString());
        assertThat(v.out()).contains("api-keys.jsonl does not match its SHA-256 in the manifest").contains("tampered");
        CliHarness.Run refused = sigil(Installation.at(dir.resolve("c")), "restore", backup.toString());
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("is not sound").contains("api-keys.jsonl does not match its SHA-256");
        assertThat(Files.exists(dir.resolve("c/state"))).isFalse();
        Files.writeString(keys, original);

        // Truncated.
        Path events = backup.resolve("events.jsonl");
        byte[] bytes = Files.readAllBytes(events);
        Files.write(events, java.util.Arrays.copyOf(bytes, bytes.length - 40));
        v = sigil(a, "verify", "--backup", backup.toString());
        assertThat(v.out()).contains("events.jsonl is truncated: " + (bytes.length - 40) + " bytes, the manifest says " + bytes.length);
        Files.write(events, bytes);
        assertThat(sigil(a, "verify", "--backup", backup.toString()).exit()).isZero();

        // A file the manifest does not list.
        Files.writeString(backup.resolve("extra.jsonl"), "{}\n");
        assertThat(sigil(a, "verify", "--backup", backup.toString()).out()).contains("extra.jsonl is in the backup directory but not in its manifest");
        Files.delete(backup.resolve("extra.jsonl"));

        // Incomplete: no manifest.
        Files.delete(backup.resolve("MANIFEST.json"));
        v = sigil(a, "verify", "--backup", backup.toString());
        assertThat(v.exit()).isEqualTo(1);
        assertThat(v.out()).contains("MANIFEST.json is missing: not a complete Sigil backup");
    }
}
