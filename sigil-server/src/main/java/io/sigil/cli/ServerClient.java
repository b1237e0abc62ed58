package io.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.errors.ConfigError;
import io.sigil.errors.NotFoundError;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The options and calls of commands that act on a running server (what lives only in that process, such as a
 * plan it is executing): {@code --url} ({@code SIGIL_URL}, default this configuration's api.host:port) and the
 * credentials ({@code --api-key} / {@code SIGIL_API_KEY}, or {@code --token} / {@code SIGIL_TOKEN}). A problem
 * answer becomes the matching Sigil error, so the usual exit codes and messages apply.
 */
final class ServerClient {
    @Option(names = "--url", paramLabel = "URL", description = "The Sigil server (default: $SIGIL_URL, else this configuration's api.host and api.port).")
    String url;

    @Option(names = "--api-key", paramLabel = "KEY", description = "An API key (default: $SIGIL_API_KEY).")
    String apiKey;

    @Option(names = "--token", paramLabel = "JWT", description = "A bearer token instead of an API key (default: $SIGIL_TOKEN).")
    String token;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    JsonNode get(SigilCommand root, String path) { return send(root, "GET", path); }

    JsonNode post(SigilCommand root, String path) { return post(root, path, "{}"); }

    /** POSTs {@code json} (a JSON object) as the body. */
    JsonNode post(SigilCommand root, String path, String json) { return send(root, "POST", path, json); }

    private JsonNode send(SigilCommand root, String method, String path) { return send(root, method, path, "{}"); }

    private JsonNode send(SigilCommand root, String method, String path, String json) {
        java.util.Map<String, String> env = root.environment();
        URI base = base(root, env.get("SIGIL_URL"));
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString(json)
                        : HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/json").header("Content-Type", "application/json");
        String key = apiKey != null ? apiKey : env.get("SIGIL_API_KEY");
        String jwt = token != null ? token : env.get("SIGIL_TOKEN");
        if (key != null && !key.isBlank()) b.header("X-API-Key", key.strip());
        else if (jwt != null && !jwt.isBlank()) b.header("Authorization", "Bearer " + jwt.strip());
        else throw new ConfigError("No credentials for the server at " + base,
                "pass --api-key (or set SIGIL_API_KEY); create one with 'sigil keys create'");
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ConfigError("Cannot reach the Sigil server at " + base + ": " + e.getMessage(),
                    "start it with 'sigil serve', or point --url (or SIGIL_URL) at it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigError("Interrupted while calling " + base, null);
        }
        JsonNode body = parse(r.body());
        if (r.statusCode() / 100 == 2) return body;
        String detail = body.path("detail").asText(r.body().isBlank() ? "HTTP " + r.statusCode() : r.body());
        throw switch (r.statusCode()) {
            case 404 -> new NotFoundError(detail);
            case 400, 409 -> new io.sigil.errors.InvalidInputError(detail, null);
            case 401, 403 -> new ConfigError("The server refused the credentials: " + detail,
                    "check --api-key/--token and that the key has the scope this needs");
            default -> new io.sigil.errors.StateError("The server answered " + r.statusCode() + ": " + detail, null);
        };
    }

    private URI base(SigilCommand root, String fromEnv) {
        String u = url != null ? url : fromEnv;
        if (u == null || u.isBlank()) {
            io.sigil.config.Settings settings = root.settings();
            String host = settings.api().host();
            if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::")) host = "127.0.0.1";
            u = "http://" + host + ":" + settings.api().port();
        }
        try {
            URI uri = URI.create(u.endsWith("/") ? u : u + "/");
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigError("--url '" + u + "' is not a valid http(s) URL", "e.g. --url http://localhost:8000");
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("detail", body);
        }
    }
}
