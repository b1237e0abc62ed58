package io.sigil.memory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.util.List;

/** The {@code sigil_memory_items{category}} gauge: items per category over all scopes, refreshed after writes. */
public final class MemoryMetrics {
    public static final String ITEMS = "sigil_memory_items";

    private final MultiGauge items;
    private final MemoryStore store;

    public MemoryMetrics(MeterRegistry registry, MemoryStore store) {
        this.store = store;
        this.items = MultiGauge.builder(ITEMS).description("Number of memory items").register(registry);
        refresh();
    }

    public void refresh() {
        List<MultiGauge.Row<?>> rows = store.itemCountsByCategory().entrySet().stream()
                .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of("category", e.getKey()), e.getValue()))
                .toList();
        items.register(rows, true);
    }
}
