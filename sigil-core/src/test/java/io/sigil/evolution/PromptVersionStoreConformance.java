package io.sigil.evolution;

import io.sigil.errors.NotFoundError;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link PromptVersionStore} must do; each adapter's test extends this. */
public abstract class PromptVersionStoreConformance {
    /** A store over fresh, empty storage; called again in a test, it must see what the first one wrote. */
    protected abstract PromptVersionStore store();

    static PromptVersion draft(String agent, String prompt, PromptVersion.Status status) {
        return new PromptVersion(agent, null, prompt, 0.8, 0.9, 0.1, null, 1,
                Instant.parse("2026-12-05T01:00:00Z").truncatedTo(ChronoUnit.MILLIS), status, "opt-1");
    }

    @Test
    void versionsAreNumberedPerAgentInOrderAndKeepEveryField() {
        PromptVersionStore s = store();
        assertThat(s.list("a")).isEmpty();
        PromptVersion v1 = s.add(draft("a", "one", PromptVersion.Status.SUPERSEDED));
        PromptVersion v2 = s.add(draft("a", "two", PromptVersion.Status.PENDING_APPROVAL));
        PromptVersion b1 = s.add(draft("b", "other", PromptVersion.Status.SUPERSEDED));

        assertThat(v1.versionId()).isEqualTo("v1");
        assertThat(v2.versionId()).isEqualTo("v2");
        assertThat(b1.versionId()).isEqualTo("v1");
        assertThat(store().list("a")).containsExactly(v1, v2);
        assertThat(store().find("a", "v2")).contains(v2);
        assertThat(store().find("a", "v3")).isEmpty();
        assertThat(store().list("b")).containsExactly(b1);
    }

    @Test
    void allListsEveryAgentInOrderAndRestoreKeepsIdsAndStatusesOnce() {
        PromptVersionStore s = store();
        PromptVersion b1 = s.add(draft("b", "other", PromptVersion.Status.SUPERSEDED));
        PromptVersion a1 = s.add(draft("a", "one", PromptVersion.Status.SUPERSEDED));
        PromptVersion a2 = s.add(draft("a", "two", PromptVersion.Status.SUPERSEDED));
        a2 = s.activate("a", "v2");
        assertThat(store().all()).containsExactly(a1, a2, b1);

        PromptVersion restored = draft("c", "restored", PromptVersion.Status.ACTIVE).withId("v1");
        assertThat(s.restore(restored)).isTrue();
        assertThat(s.restore(restored)).isFalse(); // already there: nothing written
        PromptVersion pending = draft("c", "waiting", PromptVersion.Status.PENDING_APPROVAL).withId("v2");
        assertThat(s.restore(pending)).isTrue();
        assertThat(store().list("c")).containsExactly(restored, pending);
        assertThat(store().active("c")).contains(restored);
        assertThat(s.add(draft("c", "next", PromptVersion.Status.SUPERSEDED)).versionId()).isEqualTo("v3");
    }

    @Test
    void createdAtIsKeptToTheMicrosecondByEveryStore() {
        PromptVersion v = store().add(new PromptVersion("a", null, "p", 0.5, 0.5, 0, null, 0,
                Instant.parse("2026-12-05T01:00:00.123456789Z"), PromptVersion.Status.SUPERSEDED, null));
        assertThat(v.createdAt()).isEqualTo(Instant.parse("2026-12-05T01:00:00.123456Z"));
        assertThat(store().find("a", "v1")).contains(v);
    }

    @Test
    void activatingAVersionSupersedesTheActiveOne() {
        PromptVersionStore s = store();
        s.add(draft("a", "one", PromptVersion.Status.SUPERSEDED));
        s.add(draft("a", "two", PromptVersion.Status.SUPERSEDED));
        s.add(draft("b", "other", PromptVersion.Status.SUPERSEDED));
        s.activate("b", "v1");
        s.activate("a", "v1");
        PromptVersion two = s.activate("a", "v2");

        assertThat(two.status()).isEqualTo(PromptVersion.Status.ACTIVE);
        assertThat(store().active("a")).contains(two);
        assertThat(store().list("a")).extracting(PromptVersion::status)
                .containsExactly(PromptVersion.Status.SUPERSEDED, PromptVersion.Status.ACTIVE);
        assertThat(store().active("b")).isPresent(); // another agent's active version is untouched
    }

    @Test
    void statusChangesAndMissingVersionsAreReported() {
        PromptVersionStore s = store();
        s.add(draft("a", "one", PromptVersion.Status.PENDING_APPROVAL));
        assertThat(s.setStatus("a", "v1", PromptVersion.Status.REJECTED).status()).isEqualTo(PromptVersion.Status.REJECTED);
        assertThat(store().find("a", "v1").orElseThrow().status()).isEqualTo(PromptVersion.Status.REJECTED);
        assertThatThrownBy(() -> s.activate("a", "v7")).isInstanceOf(NotFoundError.class).hasMessageContaining("v7");
        assertThatThrownBy(() -> s.setStatus("zz", "v1", PromptVersion.Status.ACTIVE)).isInstanceOf(NotFoundError.class);
    }
}
