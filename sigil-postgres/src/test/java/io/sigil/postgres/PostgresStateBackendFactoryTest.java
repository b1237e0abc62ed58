package io.sigil.postgres;

import io.sigil.runtime.StateBackend;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** sigil-postgres registers the {@code postgres} state backend, so the core opens it without depending on it. */
class PostgresStateBackendFactoryTest {
    @Test
    void thePostgresBackendIsRegisteredWithServiceLoader() {
        assertThat(ServiceLoader.load(StateBackend.Factory.class).stream().map(p -> p.get().name()))
                .containsExactly("postgres");
    }
}
