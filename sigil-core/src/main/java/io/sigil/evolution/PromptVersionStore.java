package io.sigil.evolution;

import java.util.List;
import java.util.Optional;

/**
 * Where an agent's prompt versions are kept: files next to the agent ({@link FilePromptVersionStore}) or the
 * {@code prompt_versions} table on PostgreSQL. Both pass the same conformance suite.
 */
public interface PromptVersionStore {

    /** The agent's versions, oldest first; empty when it has none. */
    List<PromptVersion> list(String agent);

    Optional<PromptVersion> find(String agent, String versionId);

    /** Stores a new version under the next id ({@code v1}, {@code v2}, ...; the draft's id is ignored) and returns it. */
    PromptVersion add(PromptVersion draft);

    /**
     * Makes the version the active one and the previously active one {@code superseded}, together.
     * {@link io.sigil.errors.NotFoundError} when there is no such version.
     */
    PromptVersion activate(String agent, String versionId);

    /** Sets a version's status (approval: pending to rejected). {@link io.sigil.errors.NotFoundError} when missing. */
    PromptVersion setStatus(String agent, String versionId, PromptVersion.Status status);

    /** Every agent's versions, by agent name and then oldest first (backups and state copies). */
    List<PromptVersion> all();

    /**
     * Stores a version under its own id, as it is (a restore or a state copy), and true; false when a version of
     * that id is already stored. The versions of a backup come oldest first, so ids stay gapless.
     */
    boolean restore(PromptVersion version);

    /** The active version, if any. */
    default Optional<PromptVersion> active(String agent) {
        return list(agent).stream().filter(v -> v.status() == PromptVersion.Status.ACTIVE).findFirst();
    }
}
