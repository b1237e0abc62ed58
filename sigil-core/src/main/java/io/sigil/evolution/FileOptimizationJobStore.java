package io.sigil.evolution;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.errors.StateError;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Optimisation jobs as one JSON file each in {@code <state.data_dir>/evolution-jobs/}, rewritten atomically. One
 * process writes a data directory (the file backend's rule), so this object's lock makes check-and-start atomic.
 */
public final class FileOptimizationJobStore implements OptimizationJobStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    public FileOptimizationJobStore(Path dataDir) { this.dir = dataDir.resolve("evolution-jobs"); }

    @Override
    public synchronized OptimizationJob start(OptimizationJob job) {
        for (OptimizationJob r : running()) {
            if (r.agent().equals(job.agent()) || r.id().equals(job.id())) throw r.alreadyRunning();
        }
        write(job);
        return job;
    }

    @Override
    public synchronized boolean update(OptimizationJob job) {
        Optional<OptimizationJob> there = find(job.id());
        if (there.isEmpty() || there.get().status() != OptimizationJob.Status.RUNNING || !there.get().node().equals(job.node())) {
            return false;
        }
        write(job);
        return true;
    }

    @Override
    public synchronized Optional<OptimizationJob> find(String id) {
        Path f = file(id);
        return Files.isRegularFile(f) ? Optional.of(read(f)) : Optional.empty();
    }

    @Override
    public synchronized List<OptimizationJob> running() {
        if (!Files.isDirectory(dir)) return List.of();
        List<OptimizationJob> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().map(this::read)
                    .filter(j -> j.status() == OptimizationJob.Status.RUNNING).forEach(out::add);
        } catch (IOException e) {
            throw new StateError("Cannot list the optimisation jobs in " + dir + ": " + e.getMessage(),
                    "Check that the state directory is readable.");
        }
        out.sort(Comparator.comparing(OptimizationJob::createdAt));
        return out;
    }

    @Override
    public synchronized boolean takeOver(OptimizationJob seen, String node, Instant now) {
        Optional<OptimizationJob> there = find(seen.id());
        if (there.isEmpty() || !there.get().equals(seen)) return false;
        write(seen.runningOn(node, now));
        return true;
    }

    private Path file(String id) {
        return io.sigil.paths.SafePaths.child(dir, id + ".json", "optimisation id");
    }

    private OptimizationJob read(Path f) {
        try {
            return OptimizationJob.fromMap(JSON.readValue(f.toFile(), Map.class));
        } catch (IOException | RuntimeException e) {
            throw new StateError("Cannot read the optimisation job " + f + ": " + e.getMessage(),
                    "Restore the file from a backup, or move it away (the optimisation's events stay in its session).");
        }
    }

    private void write(OptimizationJob job) {
        Path f = file(job.id());
        try {
            Files.createDirectories(dir);
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), job.toMap());
            try {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new StateError("Cannot write the optimisation job " + f + ": " + e.getMessage(),
                    "Check that the state directory is writable and the disk has space.");
        }
    }
}
