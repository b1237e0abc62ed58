package io.sigil.bench.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.sigil.bench.peers.LeadTask.Scenario;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What each contender sends for one task: per request (attempt), the body bytes and the tokens of what the model
 * reads (message texts, and the response_format schema), counted with the o200k_base encoding. The provider adds a
 * few tokens per message on top. The bodies are saved under {@code target/peer-requests/} to be read.
 */
final class Prompts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Encoding O200K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    private Prompts() { }

    static void print(PrintStream out, Map<String, WorkerProcess> workers, FakeServerStats server) {
        Path dir = Path.of("target", "peer-requests");
        out.println();
        out.println("| contender | scenario | request | body bytes | message tokens | schema tokens | temperature / max tokens sent |");
        out.println("|---|---|---|---|---|---|---|");
        for (Scenario s : Scenario.values()) {
            for (String n : workers.keySet()) {
                int requests = Integer.parseInt(workers.get(n).send("trace " + s).substring("requests ".length()));
                List<String> bodies = server.lastBodies(requests);
                for (int i = 0; i < bodies.size(); i++) {
                    String body = bodies.get(i);
                    save(dir.resolve(n + "-" + s + "-" + (i + 1) + ".json"), body);
                    JsonNode json = read(body);
                    StringBuilder text = new StringBuilder();
                    for (JsonNode m : json.path("messages")) text.append(content(m.path("content"))).append('\n');
                    JsonNode format = json.path("response_format");
                    int schemaTokens = format.isMissingNode() ? 0 : O200K.countTokens(format.toString());
                    String knobs = (json.has("temperature") ? "temperature " + json.get("temperature") : "-") + " / "
                            + (json.has("max_completion_tokens") ? "max_completion_tokens " + json.get("max_completion_tokens")
                            : json.has("max_tokens") ? "max_tokens " + json.get("max_tokens") : "-");
                    out.printf("| %s | %s | %d | %d | %d | %d | %s |%n", n, s, i + 1,
                            body.getBytes(StandardCharsets.UTF_8).length, O200K.countTokens(text.toString()), schemaTokens,
                            knobs);
                }
            }
        }
        out.println("(request bodies saved in " + dir.toAbsolutePath() + ")");
    }

    private static String content(JsonNode content) {
        if (content.isTextual()) return content.asText();
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) sb.append(part.path("text").asText(""));
        return sb.toString();
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("a request body is not JSON", e);
        }
    }

    private static void save(Path file, String body) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + file, e);
        }
    }
}
