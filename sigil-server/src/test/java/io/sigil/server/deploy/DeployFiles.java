package io.sigil.server.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.sigil.config.ConfigCatalogue;
import io.sigil.config.ConfigKey;
import io.sigil.config.ValueType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shipped deployment files, read from the repository root, and the checks they share. */
public final class DeployFiles {
    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    public static final ObjectMapper JSON = new ObjectMapper();

    private DeployFiles() { }

    /** The repository root: the test runs in sigil-server/. */
    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("no repository root (a directory with mvnw) above " + Path.of("").toAbsolutePath());
        return p;
    }

    public static Path file(String relative) { return root().resolve(relative); }

    public static String read(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a YAML file (Kubernetes files may hold several, separated by ---). */
    public static List<JsonNode> yamlDocuments(String relative) {
        try (YAMLParser parser = new YAMLFactory().createParser(file(relative).toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> { if (d != null && !d.isMissingNode()) docs.add(d); });
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(relative + ": " + e.getMessage(), e);
        }
    }

    public static JsonNode yaml(String relative) {
        List<JsonNode> docs = yamlDocuments(relative);
        if (docs.size() != 1) throw new IllegalStateException(relative + " holds " + docs.size() + " documents, expected 1");
        return docs.getFirst();
    }

    /** The project version from the root pom (the parent's own version element). */
    public static String projectVersion() {
        Matcher m = Pattern.compile("<artifactId>sigil-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(read("pom.xml"));
        if (!m.find()) throw new IllegalStateException("no sigil-parent version in pom.xml");
        return m.group(1).strip();
    }

    /**
     * Why an environment variable the deployment sets is wrong, or empty when it is fine: it must name a key of the
     * configuration catalogue (or be NAME_FILE for such a key, read by the launcher, or a launcher variable), and a
     * literal value must be one that key accepts. Values with ${...} interpolation are checked by name only.
     */
    static Optional<String> envProblem(String where, String name, String value) {
        String target = name;
        boolean file = false;
        if (ConfigCatalogue.byEnvName(name).isEmpty() && name.endsWith("_FILE")) {
            target = name.substring(0, name.length() - "_FILE".length());
            file = true;
            if (ConfigCatalogue.byEnvName(target).map(k -> !k.isSecret()).orElse(false)) {
                return Optional.of(where + ": " + name + ": the launcher reads *_FILE only for secrets, and "
                        + target + " is not one; set " + target + " itself");
            }
        }
        if (ConfigCatalogue.LAUNCHER_VARIABLES.contains(name)) return Optional.empty();
        Optional<ConfigKey> key = ConfigCatalogue.byEnvName(target);
        if (key.isEmpty()) {
            return Optional.of(where + ": " + name + " is not a setting Sigil knows (docs/configuration.md lists them)"
                    + ConfigCatalogue.suggestEnv(name).map(s -> "; did you mean " + s + "?").orElse(""));
        }
        if (file || value == null || value.contains("${")) return Optional.empty();
        try {
            key.get().type().parse(value);
            return Optional.empty();
        } catch (ValueType.Invalid e) {
            return Optional.of(where + ": " + name + "=" + value + " is not valid for " + key.get().key() + ": " + e.getMessage());
        }
    }

    /** A compose or Kubernetes environment block as name/value pairs (compose allows a list of NAME=value too). */
    static List<String[]> environment(JsonNode env) {
        List<String[]> out = new ArrayList<>();
        if (env instanceof ObjectNode o) {
            o.properties().forEach(e -> out.add(new String[] {e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()}));
        } else if (env instanceof ArrayNode a) {
            for (JsonNode item : a) {
                if (item.has("name")) {
                    out.add(new String[] {item.path("name").asText(), item.has("value") ? item.path("value").asText() : null});
                } else {
                    String s = item.asText();
                    int eq = s.indexOf('=');
                    out.add(eq < 0 ? new String[] {s, null} : new String[] {s.substring(0, eq), s.substring(eq + 1)});
                }
            }
        }
        return out;
    }
}
