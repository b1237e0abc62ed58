package io.sigil.memory.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.errors.ErrorCode;
import io.sigil.errors.SigilError;
import io.sigil.memory.Embedder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An OpenAI-compatible embeddings endpoint ({@code POST <baseUrl>/embeddings}, as served by OpenAI, Ollama,
 * vLLM, LM Studio and others). Texts are sent in batches of {@value #BATCH}.
 */
public final class HttpEmbedder implements Embedder {
    static final int BATCH = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;
    private final String queryPrefix;
    private final String passagePrefix;
    private volatile int dimension;

    public HttpEmbedder(String baseUrl, String model, String apiKey, Duration timeout) {
        this(baseUrl, model, apiKey, timeout, Prefixes.forModel(model));
    }

    /** @param prefixes what queries and stored texts start with before they are sent (e5, bge: see {@link Prefixes}) */
    public HttpEmbedder(String baseUrl, String model, String apiKey, Duration timeout, Prefixes prefixes) {
        this.queryPrefix = prefixes.query();
        this.passagePrefix = prefixes.passage();
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.endpoint = URI.create(base + "/embeddings");
        this.model = model;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String model() { return model; }

    /** Known after the first call; asked of the endpoint with a one-word probe before that. */
    @Override
    public int dimension() {
        if (dimension == 0) embed("dimension probe");
        return dimension;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<String> marked = passagePrefix.isEmpty() ? texts : texts.stream().map(t -> passagePrefix + t).toList();
        var out = new ArrayList<float[]>(marked.size());
        for (int i = 0; i < marked.size(); i += BATCH) out.addAll(call(marked.subList(i, Math.min(marked.size(), i + BATCH))));
        return out;
    }

    @Override
    public float[] embedQuery(String query) { return call(List.of(queryPrefix + query)).getFirst(); }

    @Override
    public boolean asymmetric() { return !queryPrefix.equals(passagePrefix); }

    private List<float[]> call(List<String> batch) {
        try {
            var body = JSON.writeValueAsString(Map.of("model", model, "input", batch));
            var request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (apiKey != null && !apiKey.isBlank()) request.header("Authorization", "Bearer " + apiKey);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw failure("returned HTTP " + response.statusCode() + ": " + abbreviate(response.body()),
                        response.statusCode(), null);
            }
            JsonNode data = JSON.readTree(response.body()).path("data");
            if (!data.isArray() || data.size() != batch.size()) {
                throw failure("returned " + data.size() + " embeddings for " + batch.size() + " texts", 200, null);
            }
            var vectors = new float[batch.size()][];
            for (JsonNode entry : data) {
                JsonNode values = entry.path("embedding");
                float[] v = new float[values.size()];
                for (int i = 0; i < v.length; i++) v[i] = (float) values.get(i).asDouble();
                vectors[entry.path("index").asInt(0)] = Embedder.normalize(v);
            }
            dimension = vectors[0].length;
            return List.of(vectors);
        } catch (IOException e) {
            throw failure("could not be reached: " + e.getMessage(), 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("call was interrupted", 0, e);
        }
    }

    private SigilError failure(String what, int status, Throwable cause) {
        return new SigilError(ErrorCode.LLM_ERROR, "Embeddings endpoint " + endpoint + " " + what,
                "check SIGIL_MEMORY__EMBEDDING_BASE_URL, the model name '" + model + "' and the API key",
                Map.of("provider", "openai-compatible", "status", status), status == 0 || status >= 500, cause);
    }

    private static String abbreviate(String s) { return s.length() > 200 ? s.substring(0, 200) + "..." : s; }
}
