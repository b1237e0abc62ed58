package io.sigil.memory;

import io.sigil.errors.InvalidInputError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScopeTest {
    @Test
    void textFormRoundTrips() {
        for (String s : new String[] {"global", "user:alice", "agent:sales", "user:alice+agent:sales"}) {
            assertThat(Scope.parse(s).key()).isEqualTo(s);
        }
        assertThat(Scope.parse(null)).isEqualTo(Scope.GLOBAL);
        assertThat(Scope.parse("agent:sales+user:alice")).isEqualTo(new Scope("alice", "sales"));
    }

    @Test
    void malformedScopesAreRefusedWithTheForm() {
        assertThatThrownBy(() -> Scope.parse("team:x")).isInstanceOf(InvalidInputError.class)
                .satisfies(e -> assertThat(((InvalidInputError) e).hint()).contains("user:<id>"));
        assertThatThrownBy(() -> Scope.parse("user:a b")).isInstanceOf(InvalidInputError.class);
    }
}
