package io.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.events.Event;
import io.sigil.events.EventType;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.file.FileEventStore;
import io.sigil.sessions.SessionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** sigil sessions / verify / backup / restore against real stores in temporary directories. */
class StateCommandsTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) { }

    private Run sigil(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        CommandLine cl = SigilCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path data() { return dir.resolve("data"); }

    private void writeSessions() {
        try (FileEventStore store = FileEventStore.open(data(), 10_000)) {
            var sessions = new SessionManager(store);
            sessions.create("alpha", "researcher", null, null);
            var sink = sessions.sink("alpha", "researcher", "req-1");
            sink.emit(EventType.MESSAGE_ADDED, Map.of("role", "user", "content", "hello"));
            sink.emit(EventType.LLM_CALLED, Map.of("provider", "test", "model", "test", "input_tokens", 11, "output_tokens", 4));
            sink.emit(EventType.MESSAGE_ADDED, Map.of("role", "assistant", "content", "hi there"));
            sessions.create("beta", "writer", null, null);
            sessions.sink("beta", "writer", "req-2").emit(EventType.ERROR_OCCURRED, Map.of("code", "CANCELLED",
                    "message", "[CANCELLED] The request was cancelled: the server shut down before the run finished",
                    "recoverable", false));
        }
    }

    @Test
    void sessionsListShowEventsAndReplay() throws Exception {
        writeSessions();
        String d = "--data-dir=" + data();

        Run list = sigil("sessions", "list", d);
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("SESSION").contains("alpha").contains("researcher").contains("beta");
        assertThat(list.out().lines().filter(l -> l.startsWith("alpha")).findFirst().orElseThrow())
                .contains("active").contains(" 4 ").contains(" 15 ");

        Run show = sigil("sessions", "show", "alpha", d);
        assertThat(show.out()).contains("Status      active").contains("Tokens      15 (input 11, output 4, 1 model calls)")
                .doesNotContain("Last error");
        assertThat(sigil("sessions", "show", "beta", d).out()).contains("Errors      1")
                .contains("Last error  [CANCELLED] The request was cancelled: the server shut down");

        Run events = sigil("sessions", "events", "alpha", "--type", "message.added", d);
        assertThat(events.out().lines()).hasSize(2).allMatch(l -> l.contains("message.added"));

        Run json = sigil("sessions", "events", "alpha", "--json", d);
        JsonNode arr = new ObjectMapper().readTree(json.out());
        assertThat(arr).hasSize(4);
        assertThat(arr.get(1).get("event_type").asText()).isEqualTo("message.added");
        assertThat(arr.get(1).get("version").asLong()).isEqualTo(2);
        assertThat(arr.get(1).get("correlation_id").asText()).isEqualTo("req-1");

        Run replay = sigil("sessions", "replay", "alpha", d);
        assertThat(replay.out()).contains("Replayed 4 events").contains("[user] hello").contains("[assistant] hi there");
        JsonNode rebuilt = new ObjectMapper().readTree(sigil("sessions", "replay", "alpha", "--json", d).out());
        assertThat(rebuilt.get("tokens").get("input_tokens").asLong()).isEqualTo(11);
    }

    @Test
    void endAndDeleteChangeTheStoreAndUnknownSessionsExitThree() {
        writeSessions();
        String d = "--data-dir=" + data();
        assertThat(sigil("sessions", "end", "alpha", d).out()).contains("is ended");
        assertThat(sigil("sessions", "show", "alpha", d).out()).contains("Status      ended");
        assertThat(sigil("sessions", "delete", "beta", d).exit()).isZero();
        assertThat(sigil("sessions", "list", d).out()).doesNotContain("beta");

        Run missing = sigil("sessions", "show", "gamma", d);
        assertThat(missing.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).startsWith("[NOT_FOUND] no session 'gamma'").contains("hint:");
    }

    @Test
    void changingCommandsAreRefusedWhileAnotherProcessHoldsTheStoreReadingOnesWork() {
        writeSessions();
        String d = "--data-dir=" + data();
        try (FileEventStore held = FileEventStore.open(data(), 10_000)) {
            assertThat(sigil("sessions", "list", d).out()).contains("alpha");
            Run end = sigil("sessions", "end", "alpha", d);
            assertThat(end.exit()).isEqualTo(ExitCodes.FAILURE);
            assertThat(end.err()).startsWith("[STATE_ERROR] the event store directory").contains("in use by another process");
        }
    }

    @Test
    void verifyExitsOneOnDamage() throws Exception {
        writeSessions();
        String d = "--data-dir=" + data();
        Run ok = sigil("verify", d);
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).contains("events store at").contains(": OK").contains("2 sessions");

        Path segment;
        try (Stream<Path> s = Files.walk(data())) {
            segment = s.filter(p -> p.getFileName().toString().startsWith("segment-")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        bytes[100] ^= 0x10;
        Files.write(segment, bytes);
        Run bad = sigil("verify", d);
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.out()).contains("DAMAGED").contains("error: damaged record");
    }

    @Test
    void aBackupTakenWhileAppendsRunRestoresToAStoreThatVerifies() throws Exception {
        Path backup = dir.resolve("backup");
        Path restored = dir.resolve("restored");
        try (FileEventStore store = FileEventStore.open(data(), 100_000)) {
            var running = new AtomicBoolean(true);
            var writers = new ArrayList<Thread>();
            for (int w = 0; w < 3; w++) {
                String session = "w" + w;
                writers.add(Thread.ofPlatform().start(() -> {
                    while (running.get()) {
                        store.append(session, ExpectedVersion.ANY,
                                List.of(Event.of(EventType.MESSAGE_ADDED, session, Map.of("content", "x"))));
                    }
                }));
            }
            while (store.lastPosition() < 100) Thread.sleep(5);
            Run b = sigil("backup", backup.toString(), "--data-dir=" + data());
            assertThat(b.exit()).as(b.err()).isZero();
            assertThat(b.out()).startsWith("Backed up ");

            Run refused = sigil("restore", backup.toString(), "--data-dir=" + data());
            assertThat(refused.exit()).isEqualTo(ExitCodes.FAILURE);
            assertThat(refused.err()).contains("in use by another process");

            running.set(false);
            for (Thread t : writers) t.join();
        }
        Run r = sigil("restore", backup.toString(), "--data-dir=" + restored);
        assertThat(r.exit()).as(r.err()).isZero();
        Run v = sigil("verify", "--data-dir=" + restored);
        assertThat(v.exit()).as(v.out()).isZero();
        assertThat(sigil("sessions", "list", "--data-dir=" + restored).out()).contains("w0").contains("w1").contains("w2");

        Files.delete(backup.resolve("MANIFEST.json"));
        Run partial = sigil("restore", backup.toString(), "--data-dir=" + dir.resolve("other"));
        assertThat(partial.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(partial.err()).contains("not a complete Sigil backup");
    }
}
