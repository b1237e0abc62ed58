package io.sigil.agents;

import io.sigil.errors.AgentError;
import io.sigil.errors.NotFoundError;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Agents as files in a directory ({@code SIGIL_AGENTS_DIR}, default {@code ./agents}): one {@code <name>.yaml},
 * {@code .yml} or {@code .json} each, plus the example agents bundled with Sigil, which a file of the same name
 * overrides. Edits show up without a restart: a file is parsed again when its modification time, size or
 * identity (inode) changes, and otherwise served from a parse cache, because runs look their agent up on every
 * request and parsing YAML costs more than the rest of a short run. Writes are atomic.
 */
public final class FileAgentRegistry implements AgentRegistry {
    /** The example agents shipped in the jar. */
    public static final List<String> BUNDLED = List.of("lead_qualifier", "research_assistant", "appointment_setter");

    private final Path dir;
    private final AgentDefinitions definitions;
    private static final List<String> EXTENSIONS = List.of(".yaml", ".yml", ".json");
    private final Map<Path, Parsed> parsed = new ConcurrentHashMap<>();
    private final Map<String, AgentDefinition> bundled = new ConcurrentHashMap<>();

    /** A parsed file and the attributes it had when it was read. */
    private record Parsed(FileTime modified, long size, Object fileKey, AgentDefinition definition) {
        boolean matches(BasicFileAttributes a) {
            return a.lastModifiedTime().equals(modified) && a.size() == size && Objects.equals(a.fileKey(), fileKey);
        }
    }

    public FileAgentRegistry(Path dir, AgentDefinitions definitions) {
        this.dir = dir;
        this.definitions = definitions;
    }

    @Override
    public List<AgentDefinition> list() {
        Map<String, AgentDefinition> byName = new TreeMap<>();
        for (String name : BUNDLED) byName.put(name, bundled(name));
        for (Path file : files()) {
            AgentDefinition d = read(file);
            byName.put(d.name(), d);
        }
        return List.copyOf(byName.values());
    }

    @Override
    public Optional<AgentDefinition> find(String name) {
        // One stat per candidate file, reused to validate the parse cache (every run looks its agent up).
        if (AgentDefinitions.NAME.matcher(name).matches()) {
            for (String ext : EXTENSIONS) {
                Path p = io.sigil.paths.SafePaths.child(dir, name + ext, "agent file name");
                BasicFileAttributes attributes = regularFile(p);
                if (attributes != null) return Optional.of(read(p, attributes));
            }
        }
        return BUNDLED.contains(name) ? Optional.of(bundled(name)) : Optional.empty();
    }

    /** The file's attributes, or null when it does not exist or is not a regular file. */
    private static BasicFileAttributes regularFile(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return a.isRegularFile() ? a : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public AgentDefinition get(String name) {
        return find(name).orElseThrow(() -> new NotFoundError("Agent '" + name + "' not found",
                "Known agents: " + String.join(", ", list().stream().map(AgentDefinition::name).toList())
                        + ". Create one with 'sigil agents create --from \"...\"' or a file in " + dir + "."));
    }

    @Override
    public void save(AgentDefinition agent) {
        try {
            Files.createDirectories(dir);
            if (!AgentDefinitions.NAME.matcher(agent.name()).matches()) {
                throw new AgentError("Agent name '" + agent.name().replaceAll("\\p{Cntrl}", "?") + "' is not valid",
                        "use lower-case letters, digits and '_', starting with a letter (at most 64)");
            }
            Path target = io.sigil.paths.SafePaths.child(dir, agent.name() + ".yaml", "agent file name");
            Path tmp = Files.createTempFile(dir, "." + agent.name(), ".tmp");
            Files.writeString(tmp, AgentDefinitions.toYaml(agent), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            for (String ext : List.of(".yml", ".json")) Files.deleteIfExists(dir.resolve(agent.name() + ext));
        } catch (IOException e) {
            // No server path: this message reaches API clients.
            throw new AgentError("Cannot save agent '" + agent.name() + "' (" + e.getClass().getSimpleName() + ")",
                    "Check that the agents directory (SIGIL_AGENTS_DIR) is writable.");
        }
    }

    @Override
    public boolean delete(String name) {
        Optional<Path> file = fileOf(name);
        if (file.isEmpty()) {
            if (BUNDLED.contains(name)) {
                throw new AgentError("Agent '" + name + "' is a bundled example and cannot be deleted",
                        "Override it instead with a file " + name + ".yaml in the agents directory (SIGIL_AGENTS_DIR).");
            }
            return false;
        }
        try {
            Files.delete(file.get());
            parsed.remove(file.get());
            return true;
        } catch (IOException e) {
            throw new AgentError("Cannot delete agent file " + file.get().getFileName() + " (" + e.getClass().getSimpleName()
                    + ")", "Check that the agents directory (SIGIL_AGENTS_DIR) is writable.");
        }
    }

    private Optional<Path> fileOf(String name) {
        if (!AgentDefinitions.NAME.matcher(name).matches()) return Optional.empty();
        for (String ext : EXTENSIONS) {
            Path p = io.sigil.paths.SafePaths.child(dir, name + ext, "agent file name");
            if (Files.isRegularFile(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    private List<Path> files() {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> out = new ArrayList<>();
            s.filter(p -> p.getFileName().toString().matches("[^.].*\\.(yaml|yml|json)"))
                    .filter(Files::isRegularFile).sorted().forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list agents directory " + dir, e);
        }
    }

    private AgentDefinition read(Path file) {
        try {
            return read(file, Files.readAttributes(file, BasicFileAttributes.class));
        } catch (IOException e) {
            throw new AgentError("Cannot read agent file " + file + ": " + e.getMessage(), null);
        }
    }

    private AgentDefinition read(Path file, BasicFileAttributes attributes) {
        String text;
        try {
            Parsed cached = parsed.get(file);
            if (cached != null && cached.matches(attributes)) return cached.definition();
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AgentError("Cannot read agent file " + file + ": " + e.getMessage(), null);
        }
        AgentDefinition d = parse(file, text);
        parsed.put(file, new Parsed(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey(), d));
        return d;
    }

    private AgentDefinition parse(Path file, String text) {
        AgentDefinition d = definitions.parse(text, file.toString());
        String stem = file.getFileName().toString().replaceFirst("\\.(yaml|yml|json)$", "");
        if (!stem.equals(d.name())) {
            throw new AgentError("Agent file " + file + " defines agent '" + d.name() + "'",
                    "Rename the file to " + d.name() + ".yaml or change its name field to '" + stem + "'.");
        }
        return d;
    }

    private AgentDefinition bundled(String name) {
        return bundled.computeIfAbsent(name, this::parseBundled);
    }

    private AgentDefinition parseBundled(String name) {
        String resource = "/io/sigil/agents/examples/" + name + ".yaml";
        try (InputStream in = FileAgentRegistry.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("bundled agent missing from the jar: " + resource);
            return definitions.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "bundled:" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
