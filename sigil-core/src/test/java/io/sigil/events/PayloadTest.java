package io.sigil.events;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayloadTest {
    @Test
    void aMapGivenByTheCallerIsCopiedSoLaterChangesDoNotReachTheEvent() {
        var given = new LinkedHashMap<String, Object>();
        given.put("b", 1);
        given.put("a", "two");
        Event e = Event.of(EventType.MESSAGE_ADDED, "s", given);
        given.put("c", 3);
        assertThat(e.payload()).containsExactly(Map.entry("b", 1), Map.entry("a", "two")); // and in the given order
    }

    @Test
    void derivedEventsShareTheirPayloadInsteadOfCopyingIt() {
        Event e = Event.of(EventType.MESSAGE_ADDED, "s", Map.of("content", "hi"));
        assertThat(e.withAgent("a").withCorrelation("c").withId(Ids.timeOrdered()).payload()).isSameAs(e.payload());
    }

    @Test
    void thePayloadIsReadOnlyThroughEveryView() {
        var given = new HashMap<String, Object>(Map.of("k", "v"));
        Map<String, Object> p = Event.of(EventType.MESSAGE_ADDED, "s", given).payload();
        assertThatThrownBy(() -> p.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.remove("k")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(p::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.entrySet().iterator().next().setValue("w")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.keySet().remove("k")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.values().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(p).isEqualTo(Map.of("k", "v")).hasSameHashCodeAs(Map.of("k", "v"));
    }

    @Test
    void aDecodedPayloadIsTakenWithoutACopyAndStaysReadOnly() throws Exception {
        var codec = new EventCodec();
        Map<String, Object> decoded = codec.decodePayload("{\"role\":\"user\",\"n\":[1,2]}".getBytes(StandardCharsets.UTF_8));
        Event e = new Event(Ids.timeOrdered(), "message.added", java.time.Instant.now(), "s", null, null, decoded, 1);
        assertThat(e.payload()).isSameAs(decoded).containsEntry("n", List.of(1, 2));
        assertThatThrownBy(() -> e.payload().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        Event back = codec.decode(codec.encode(e));
        assertThat(back).isEqualTo(e);
        assertThatThrownBy(() -> back.payload().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aNullPayloadIsEmpty() {
        assertThat(new Event(Ids.timeOrdered(), "message.added", java.time.Instant.now(), "s", null, null, null, 1).payload()).isEmpty();
    }
}
