package io.sigil.memory.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.sigil.errors.ErrorCode;
import io.sigil.errors.SigilError;
import io.sigil.memory.MemoryJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The OpenAI-compatible adapter against a local server speaking the embeddings wire protocol. */
class HttpEmbedderTest {
    private HttpServer server;
    private final List<JsonNode> requests = new ArrayList<>();
    private final List<String> auth = new ArrayList<>();
    private volatile int status = 200;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/embeddings", exchange -> {
            JsonNode body = MemoryJson.MAPPER.readTree(exchange.getRequestBody());
            requests.add(body);
            auth.add(exchange.getRequestHeaders().getFirst("Authorization"));
            var data = MemoryJson.MAPPER.createArrayNode();
            // Answer out of order, as the protocol allows: the index field says which input each vector is for.
            for (int i = body.path("input").size() - 1; i >= 0; i--) {
                String text = body.path("input").get(i).asText();
                data.addObject().put("index", i).putArray("embedding").add(text.length()).add(3.0).add(4.0);
            }
            byte[] out = status == 200 ? MemoryJson.write(java.util.Map.of("data", data)).getBytes(StandardCharsets.UTF_8)
                    : "{\"error\":{\"message\":\"bad key\"}}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() { server.stop(0); }

    private HttpEmbedder embedder() {
        return new HttpEmbedder("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/", "text-embedding-3-small",
                "sk-test", Duration.ofSeconds(5));
    }

    @Test
    void sendsModelAndInputsAndReturnsUnitVectorsInInputOrder() {
        var vectors = embedder().embed(List.of("a", "abcd"));

        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.path("model").asText()).isEqualTo("text-embedding-3-small");
            assertThat(r.path("input")).hasSize(2);
        });
        assertThat(auth).containsExactly("Bearer sk-test");
        assertThat(vectors.get(0)[0]).isCloseTo((float) (1 / Math.sqrt(26)), within(1e-6f));
        assertThat(vectors.get(1)[0]).isCloseTo((float) (4 / Math.sqrt(41)), within(1e-6f));
        assertThat(embedder().dimension()).isEqualTo(3);
    }

    @Test
    void batchesLargeInputs() {
        var texts = new ArrayList<String>();
        for (int i = 0; i < HttpEmbedder.BATCH + 10; i++) texts.add("t" + i);
        assertThat(embedder().embed(texts)).hasSize(HttpEmbedder.BATCH + 10);
        assertThat(requests).hasSize(2);
    }

    @Test
    void anErrorStatusIsAnLlmErrorNamingTheEndpoint() {
        status = 401;
        assertThatThrownBy(() -> embedder().embed("x"))
                .isInstanceOf(SigilError.class).hasMessageContaining("HTTP 401").hasMessageContaining("/v1/embeddings")
                .satisfies(e -> assertThat(((SigilError) e).code()).isEqualTo(ErrorCode.LLM_ERROR));
    }
}
