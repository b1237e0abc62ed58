package io.sigil.evolution;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sigil.errors.NotFoundError;
import io.sigil.errors.StateError;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Prompt versions as {@code versions.json} in the agent's evolution directory ({@code <agents_dir>/<agent>.evolution/},
 * next to its test cases), rewritten atomically on each change. One process writes a data directory (the file
 * backend's rule), so changes are serialised with this object's lock.
 */
public final class FilePromptVersionStore implements PromptVersionStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String SUFFIX = ".evolution";
    private final Path agentsDir;

    public FilePromptVersionStore(Path agentsDir) { this.agentsDir = agentsDir; }

    @Override
    public synchronized List<PromptVersion> list(String agent) { return read(agent); }

    @Override
    public synchronized Optional<PromptVersion> find(String agent, String versionId) {
        return read(agent).stream().filter(v -> v.versionId().equals(versionId)).findFirst();
    }

    @Override
    public synchronized PromptVersion add(PromptVersion draft) {
        List<PromptVersion> all = new ArrayList<>(read(draft.agent()));
        PromptVersion v = draft.withId("v" + (all.size() + 1));
        all.add(v);
        write(draft.agent(), all);
        return v;
    }

    @Override
    public synchronized List<PromptVersion> all() {
        List<PromptVersion> out = new ArrayList<>();
        if (!Files.isDirectory(agentsDir)) return out;
        try (Stream<Path> dirs = Files.list(agentsDir)) {
            dirs.map(d -> d.getFileName().toString()).filter(n -> n.endsWith(SUFFIX)).sorted()
                    .forEach(n -> out.addAll(read(n.substring(0, n.length() - SUFFIX.length()))));
        } catch (IOException e) {
            throw new StateError("Cannot list the agents directory " + agentsDir + ": " + e.getMessage(),
                    "Check that it exists and is readable.");
        }
        return out;
    }

    @Override
    public synchronized boolean restore(PromptVersion version) {
        List<PromptVersion> all = new ArrayList<>(read(version.agent()));
        if (all.stream().anyMatch(v -> v.versionId().equals(version.versionId()))) return false;
        all.add(version);
        write(version.agent(), all);
        return true;
    }

    @Override
    public synchronized PromptVersion activate(String agent, String versionId) {
        List<PromptVersion> all = new ArrayList<>(read(agent));
        int at = indexOf(all, agent, versionId);
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).status() == PromptVersion.Status.ACTIVE) all.set(i, all.get(i).withStatus(PromptVersion.Status.SUPERSEDED));
        }
        all.set(at, all.get(at).withStatus(PromptVersion.Status.ACTIVE));
        write(agent, all);
        return all.get(at);
    }

    @Override
    public synchronized PromptVersion setStatus(String agent, String versionId, PromptVersion.Status status) {
        List<PromptVersion> all = new ArrayList<>(read(agent));
        int at = indexOf(all, agent, versionId);
        all.set(at, all.get(at).withStatus(status));
        write(agent, all);
        return all.get(at);
    }

    private static int indexOf(List<PromptVersion> all, String agent, String versionId) {
        for (int i = 0; i < all.size(); i++) if (all.get(i).versionId().equals(versionId)) return i;
        throw notFound(agent, versionId);
    }

    static NotFoundError notFound(String agent, String versionId) {
        return new NotFoundError("Agent '" + agent + "' has no prompt version '" + versionId + "'",
                "List its versions: sigil evolve versions " + agent);
    }

    private Path file(String agent) {
        return io.sigil.paths.SafePaths.child(agentsDir, agent + SUFFIX, "agent name").resolve("versions.json");
    }

    private List<PromptVersion> read(String agent) {
        Path f = file(agent);
        if (!Files.isRegularFile(f)) return List.of();
        try {
            List<Map<String, Object>> rows = JSON.readValue(f.toFile(), new TypeReference<>() { });
            return rows.stream().map(PromptVersion::fromMap).toList();
        } catch (IOException | RuntimeException e) {
            throw new StateError("Cannot read the prompt versions of '" + agent + "' from " + f + ": " + e.getMessage(),
                    "Restore the file from a backup, or move it away to start a new version history.");
        }
    }

    private void write(String agent, List<PromptVersion> all) {
        Path f = file(agent);
        try {
            Files.createDirectories(f.getParent());
            Path tmp = f.resolveSibling("versions.json.tmp");
            JSON.writeValue(tmp.toFile(), all.stream().map(PromptVersion::toMap).toList());
            try {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new StateError("Cannot write the prompt versions of '" + agent + "' to " + f + ": " + e.getMessage(),
                    "Check that the agents directory is writable and the disk has space.");
        }
    }
}
