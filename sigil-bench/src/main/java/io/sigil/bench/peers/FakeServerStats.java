package io.sigil.bench.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** What the fake server counted ({@code /_fake/stats}) and received ({@code /_fake/requests}), over HTTP. */
final class FakeServerStats {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Stats(long requests, long requestBytes) {
        Stats minus(Stats before) { return new Stats(requests - before.requests, requestBytes - before.requestBytes); }
    }

    private final String origin;
    private final HttpClient http = HttpClient.newHttpClient();

    FakeServerStats(String baseUrl) {
        this.origin = baseUrl.substring(0, baseUrl.indexOf('/', "http://".length()));
    }

    Stats stats() {
        JsonNode n = get("/_fake/stats");
        return new Stats(n.path("requests").asLong(), n.path("request_bytes").asLong());
    }

    /** The bodies of the last {@code n} requests, oldest first. */
    List<String> lastBodies(int n) {
        List<String> bodies = new ArrayList<>();
        get("/_fake/requests?last=" + n).forEach(b -> bodies.add(b.asText()));
        return bodies;
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(origin + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " from the fake server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
