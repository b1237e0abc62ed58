package io.sigil.postgres;

import io.sigil.events.Event;
import io.sigil.events.EventType;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.RecordedEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Array parameters written by {@link ArrayLiteral} reach PostgreSQL as the values they were, whatever their text. */
class ArrayLiteralIT {
    private static final List<String> AWKWARD = Arrays.asList("plain", "", "NULL", "null", null, "a,b", "{x}", "say \"hi\"",
            "back\\slash", "\\\"", " spaced ", "tab\there", "line\nbreak", "ünïcødé ✓", "'quote'", "\"", "\\");

    private static TestDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create("arrays");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Test
    void textNumbersUuidsTimestampsAndFlagsComeBackAsSent() throws Exception {
        var text = new ArrayLiteral("text[]", 4);
        AWKWARD.forEach(text::addText);
        var numbers = new ArrayLiteral("int8[]", 4);
        List<Long> longs = List.of(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 42L);
        longs.forEach(numbers::add);
        var ids = new ArrayLiteral("uuid[]", 4);
        List<UUID> uuids = List.of(UUID.randomUUID(), new UUID(0, 0));
        uuids.forEach(ids::addPlain);
        ids.addPlain(null);
        var times = new ArrayLiteral("timestamptz[]", 4);
        Instant t = Instant.parse("2026-12-05T20:30:01.123456Z");
        times.addPlain(t).addPlain(Instant.EPOCH);
        var flags = new ArrayLiteral("bool[]", 4).addPlain(true).addPlain(false).addPlain(null);
        try (Connection c = db.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT ?::text[], ?::int8[], ?::uuid[], ?::timestamptz[], ?::bool[]")) {
            ps.setObject(1, text.parameter());
            ps.setObject(2, numbers.parameter());
            ps.setObject(3, ids.parameter());
            ps.setObject(4, times.parameter());
            ps.setObject(5, flags.parameter());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat((String[]) rs.getArray(1).getArray()).containsExactlyElementsOf(AWKWARD);
                assertThat((Long[]) rs.getArray(2).getArray()).containsExactlyElementsOf(longs);
                List<UUID> expected = new ArrayList<>(uuids);
                expected.add(null);
                assertThat((UUID[]) rs.getArray(3).getArray()).containsExactlyElementsOf(expected);
                var stamps = (java.sql.Timestamp[]) rs.getArray(4).getArray();
                assertThat(stamps[0].toInstant()).isEqualTo(t);
                assertThat(stamps[1].toInstant()).isEqualTo(Instant.EPOCH);
                assertThat((Boolean[]) rs.getArray(5).getArray()).containsExactly(true, false, null);
            }
        }
    }

    @Test
    void anEmptyArrayIsEmpty() throws Exception {
        try (Connection c = db.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT cardinality(?::text[])")) {
            ps.setObject(1, new ArrayLiteral("text[]", 0).parameter());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @Test
    void awkwardAgentAndCorrelationIdsAreStoredAsGiven() {
        try (var store = PostgresEventStore.open(db.database(), 1_000)) {
            List<Event> events = new ArrayList<>();
            for (String s : AWKWARD) {
                if (s == null || s.isEmpty()) continue;
                events.add(new Event(UUID.randomUUID(), EventType.MESSAGE_ADDED.wireName(), Instant.now(), "awkward-ids", s, s,
                        Map.of("content", s), Event.SCHEMA_VERSION));
            }
            store.append("awkward-ids", ExpectedVersion.NO_STREAM, events);
            List<RecordedEvent> read = store.read("awkward-ids", 1);
            assertThat(read).hasSize(events.size());
            for (int i = 0; i < events.size(); i++) {
                assertThat(read.get(i).event().agentId()).isEqualTo(events.get(i).agentId());
                assertThat(read.get(i).event().correlationId()).isEqualTo(events.get(i).correlationId());
                assertThat(read.get(i).event().payload()).isEqualTo(events.get(i).payload());
            }
        }
    }
}
