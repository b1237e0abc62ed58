package io.sigil.contracts;

import io.sigil.errors.InvalidInputError;
import io.sigil.errors.StateError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Contracts stored as YAML/JSON files in one directory (settings {@code contracts.dir}), on top of the bundled
 * templates: a file contract with a template's name overrides the template. Several files may hold versions of
 * the same contract ({@code version:} in the file); the highest version is the default. The directory is read on
 * each lookup, so edits apply without a restart, but a file is parsed again only when it changed (rules are
 * parsed once per file version); a malformed file is an error naming the file and line.
 */
public final class FileContractRegistry implements ContractStore {
    private final Path dir;
    private final ContractLoader loader;
    private final ContractTemplates templates;
    /** Parsed files by path, reused while the file's size and modification time are unchanged. */
    private final Map<Path, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(FileTime modified, long size, LoadedContract contract) { }

    public FileContractRegistry(Path dir, ContractLoader loader, ContractTemplates templates) {
        this.dir = dir;
        this.loader = loader;
        this.templates = templates;
    }

    public Path dir() { return dir; }

    @Override
    public List<Entry> list() {
        Map<String, Entry> entries = new TreeMap<>();
        for (LoadedContract t : templates.all()) {
            Contract c = t.contract();
            entries.put(c.name(), new Entry(c.name(), c.version(), List.of(c.version()), "template", c.description(), true));
        }
        scan().forEach((name, versions) -> {
            Contract latest = versions.lastEntry().getValue().contract();
            entries.put(name, new Entry(name, latest.version(), List.copyOf(versions.keySet()),
                    versions.lastEntry().getValue().source().file(), latest.description(), false));
        });
        return List.copyOf(entries.values());
    }

    @Override
    public Optional<Contract> find(String name) {
        TreeMap<String, LoadedContract> versions = scan().get(name);
        if (versions != null) return Optional.of(versions.lastEntry().getValue().contract());
        return templates.find(name).map(LoadedContract::contract);
    }

    @Override
    public Optional<Contract> find(String name, String version) {
        TreeMap<String, LoadedContract> versions = scan().get(name);
        if (versions != null) return Optional.ofNullable(versions.get(version)).map(LoadedContract::contract);
        return templates.find(name).map(LoadedContract::contract).filter(c -> c.version().equals(version));
    }

    @Override
    public void add(Contract contract) { save(contract); }

    @Override
    public List<String> remove(String name, String version) {
        TreeMap<String, LoadedContract> versions = scan().get(name);
        if (versions == null) return List.of();
        List<String> removed = versions.keySet().stream().filter(v -> version == null || v.equals(version)).toList();
        delete(name, version);
        return removed;
    }

    @Override
    public List<Contract> stored() {
        List<Contract> out = new ArrayList<>();
        new TreeMap<>(scan()).values().forEach(versions -> versions.values().forEach(c -> out.add(c.contract())));
        return out;
    }

    /** Writes a contract as {@code <name>-<version>.yaml}; an existing version is never overwritten. */
    public Path save(Contract contract) {
        List<ContractIssue> errors = ContractChecks.check(contract).stream().filter(ContractIssue::isError).toList();
        if (!errors.isEmpty()) throw new InvalidInputError("Contract '" + contract.name() + "' is invalid: " + errors);
        Path file = io.sigil.paths.SafePaths.child(dir, contract.name() + "-" + contract.version() + ".yaml",
                "contract file name");
        TreeMap<String, LoadedContract> versions = scan().get(contract.name());
        if (Files.exists(file) || (versions != null && versions.containsKey(contract.version()))) {
            throw new InvalidInputError("Contract '" + contract.name() + "' version " + contract.version() + " already exists",
                    "Give the new definition a higher version.");
        }
        try {
            Files.createDirectories(dir);
            // Written aside, then linked in whole: a reader (another process's store) never sees half a file, and
            // the link refuses an existing name, so two writers of one version cannot overwrite each other.
            Path tmp = Files.createTempFile(dir, "." + contract.name() + "-", ".tmp");
            try {
                Files.writeString(tmp, ContractWriter.toYaml(contract));
                Files.createLink(file, tmp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw new InvalidInputError("Contract '" + contract.name() + "' version " + contract.version()
                        + " already exists", "Give the new definition a higher version.");
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException e) {
            // The file's name only: this message reaches API clients, the server's paths must not.
            throw new StateError("Cannot write contract file " + file.getFileName() + " (" + e.getClass().getSimpleName()
                    + ")", "Check that the contracts directory is writable.");
        }
    }

    /**
     * Deletes the files of a contract: every version, or only {@code version} when given. Returns the files
     * deleted, none when the directory holds no such contract (a bundled template is never a file, so it stays).
     */
    public List<Path> delete(String name, String version) {
        TreeMap<String, LoadedContract> versions = scan().get(name);
        if (versions == null) return List.of();
        List<Path> files = versions.entrySet().stream().filter(e -> version == null || e.getKey().equals(version))
                .map(e -> Path.of(e.getValue().source().file())).toList();
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
                cache.remove(f);
            } catch (IOException e) {
                throw new StateError("Cannot delete contract file " + f.getFileName() + " (" + e.getClass().getSimpleName() + ")",
                        "Check that the contracts directory is writable.");
            }
        }
        return files;
    }

    /** name -> (version -> contract), versions in ascending order. */
    private Map<String, TreeMap<String, LoadedContract>> scan() {
        Map<String, TreeMap<String, LoadedContract>> byName = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) return byName;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> {
                String f = p.getFileName().toString();
                return Files.isRegularFile(p) && (f.endsWith(".yaml") || f.endsWith(".yml") || f.endsWith(".json"));
            }).sorted().toList();
        } catch (IOException e) {
            throw new StateError("Cannot list contracts directory " + dir + ": " + e.getMessage());
        }
        cache.keySet().retainAll(files);
        for (Path f : files) {
            LoadedContract c = parsed(f);
            TreeMap<String, LoadedContract> versions = byName.computeIfAbsent(c.contract().name(),
                    n -> new TreeMap<>(VERSION_ORDER));
            LoadedContract clash = versions.put(c.contract().version(), c);
            if (clash != null) {
                throw new InvalidInputError("Contract '" + c.contract().name() + "' version " + c.contract().version()
                        + " is defined twice: " + clash.source().file() + " and " + f, "Remove one or change its version.");
            }
        }
        return byName;
    }

    private LoadedContract parsed(Path f) {
        try {
            FileTime modified = Files.getLastModifiedTime(f);
            long size = Files.size(f);
            Cached c = cache.get(f);
            if (c != null && c.modified().equals(modified) && c.size() == size) return c.contract();
            LoadedContract fresh = loader.load(f);
            cache.put(f, new Cached(modified, size, fresh));
            return fresh;
        } catch (IOException e) {
            throw new StateError("Cannot read contract file " + f + ": " + e.getMessage());
        }
    }

    /** Dotted versions compared part by part, numerically where both parts are numbers (1.10.0 > 1.9.2). */
    public static final Comparator<String> VERSION_ORDER = (a, b) -> {
        String[] x = a.split("[.\\-]");
        String[] y = b.split("[.\\-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = p.matches("\\d+") && q.matches("\\d+")
                    ? new java.math.BigInteger(p).compareTo(new java.math.BigInteger(q)) : p.compareTo(q);
            if (c != 0) return c;
        }
        return a.compareTo(b);
    };

    /** All versions of one name, for display. */
    @Override
    public List<String> versions(String name) {
        TreeMap<String, LoadedContract> versions = scan().get(name);
        return versions == null ? new ArrayList<>(templates.find(name).map(t -> List.of(t.contract().version())).orElse(List.of()))
                : List.copyOf(versions.keySet());
    }
}
