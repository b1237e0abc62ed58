package io.sigil.events;

import io.sigil.errors.StateError;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {
    private final EventCodec codec = new EventCodec();

    @Test
    void writesStableSnakeCaseJsonWithSchemaVersionAndReadsItBack() {
        var payload = new LinkedHashMap<String, Object>();
        payload.put("input_tokens", 12);
        payload.put("big", 12_345_678_901L);
        payload.put("ratio", 0.25);
        payload.put("list", List.of("a", Map.of("b", false)));
        payload.put("none", null);
        Event e = new Event(java.util.UUID.fromString("00000000-0000-0000-0000-000000000001"), "llm.called",
                Instant.parse("2026-01-11T10:00:00.123456789Z"), "s", "agent", "corr", payload, 1);

        String json = codec.toJson(e);

        assertThat(json).isEqualTo("{\"schema_version\":1,\"event_id\":\"00000000-0000-0000-0000-000000000001\","
                + "\"event_type\":\"llm.called\",\"timestamp\":\"2026-01-11T10:00:00.123456Z\",\"session_id\":\"s\","
                + "\"agent_id\":\"agent\",\"correlation_id\":\"corr\",\"payload\":{\"input_tokens\":12,\"big\":12345678901,"
                + "\"ratio\":0.25,\"list\":[\"a\",{\"b\":false}],\"none\":null}}");
        assertThat(codec.decode(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(e);
    }

    record Step(String id, int attempts) { }

    @Test
    void writesEveryPayloadValueExactlyAsTheMapperWould() throws Exception {
        var payload = new LinkedHashMap<String, Object>();
        payload.put("text", "quote \" backslash \\ newline \n unicode é 😀 control \u0001");
        payload.put("int", -7);
        payload.put("long", Long.MIN_VALUE);
        payload.put("double", 1e-7);
        payload.put("nan", Double.NaN);
        payload.put("float", 0.1f);
        payload.put("decimal", new java.math.BigDecimal("12.50"));
        payload.put("bool", true);
        payload.put("nested", Map.of("list", List.of(1, List.of(), Map.of())));
        payload.put("record", new Step("s1", 2));
        payload.put("tree", new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"a\":[1,2.5,null]}"));
        payload.put("instant", Instant.parse("2026-01-11T10:00:00Z"));
        payload.put("optional", java.util.Optional.of("x"));
        payload.put("int_keys", Map.of(1, "one"));
        payload.put("set", new java.util.TreeSet<>(List.of("b", "a")));
        payload.put("array", new int[] {1, 2});
        Event e = new Event(java.util.UUID.randomUUID(), "step.completed", Instant.now(), "s", null, null, payload, 1);

        String json = codec.toJson(e);

        String written = json.substring(json.indexOf("\"payload\":") + "\"payload\":".length(), json.length() - 1);
        assertThat(written).isEqualTo(new String(codec.mapper().writeValueAsBytes(payload), StandardCharsets.UTF_8));
    }

    @Test
    void readsTimestampsInAnyIsoInstantForm() {
        for (String t : List.of("2026-01-11T10:00:00Z", "2026-01-11T10:00:00.5Z", "2026-01-11T10:00:00.120Z",
                "2026-12-31T23:59:59.999999Z")) {
            assertThat(EventCodec.instant(t)).as(t).isEqualTo(Instant.parse(t));
        }
    }

    @Test
    void keepsFieldsOfUnknownTypesAndIgnoresFieldsOfNewerSchemas() {
        String json = "{\"schema_version\":2,\"event_id\":\"00000000-0000-0000-0000-000000000002\",\"event_type\":\"x.y\","
                + "\"timestamp\":\"2026-01-11T10:00:00Z\",\"session_id\":\"s\",\"lineage\":{\"a\":[1]},\"payload\":{\"k\":\"v\"}}";
        Event e = codec.decode(json.getBytes(StandardCharsets.UTF_8));
        assertThat(e.eventType()).isEqualTo("x.y");
        assertThat(e.schemaVersion()).isEqualTo(2);
        assertThat(e.payload()).containsEntry("k", "v");
    }

    @Test
    void damagedJsonIsAStateErrorNamingTheProblem() {
        assertThatThrownBy(() -> codec.decode("{\"event_type\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(StateError.class).hasMessageContaining("no 'event_id'");
        assertThatThrownBy(() -> codec.decode("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(StateError.class).hasMessageContaining("not a JSON object");
    }
}
