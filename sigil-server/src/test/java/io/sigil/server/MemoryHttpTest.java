package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.auth.Scope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.sigil.server.ContractsHttpTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Memory search, store, categories and consolidation over real HTTP (local embedding model, no network). */
class MemoryHttpTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static String reader;
    static String writer;

    @BeforeAll
    static void start() {
        // The test model: memory then uses no model at all (rules, plain retrieval), so nothing leaves the JVM.
        server = TestServer.full(dir, TestServer.Options.defaults().testModel());
        // An administrator's tokens: these tests use several users' scopes (tenancy itself: TenancyHttpTest).
        reader = server.tokenFor("root", Scope.MEMORY_READ, Scope.ADMIN);
        writer = server.tokenFor("root", Scope.MEMORY_WRITE, Scope.ADMIN);
        for (String fact : List.of("Alice prefers phone calls on Monday mornings",
                "The budget for the CRM project is 50000 euros",
                "Bob is the decision maker for purchases above 10000 euros")) {
            HttpResponse<String> r = server.post("/memory", writer,
                    "{\"content\": \"" + fact + "\", \"category\": \"lead_preferences\", \"scope\": \"user:alice\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() { server.close(); }

    @Test
    void storedFactsAreFoundInTheirScopeOnly() {
        HttpResponse<String> r = server.post("/memory/search", reader,
                "{\"query\": \"how much money can the CRM project spend\", \"scope\": \"user:alice\", \"k\": 2, \"mode\": \"rag\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode recall = TestServer.json(r);
        assertThat(recall.path("hits").get(0).path("item").path("content").asText()).contains("50000");
        assertThat(recall.path("hits").size()).isLessThanOrEqualTo(2);
        assertThat(recall.path("answered_by").asText()).isEqualTo("rag");

        JsonNode other = TestServer.json(server.post("/memory/search", reader, "{\"query\": \"budget\", \"scope\": \"user:bob\"}"));
        assertThat(other.path("hits")).isEmpty();
    }

    @Test
    void resourcesAreExtractedIntoItems() {
        HttpResponse<String> r = server.post("/memory", writer, "{\"type\": \"conversation\", \"scope\": \"user:carol\","
                + " \"content\": \"Carol: I prefer email. Our budget is 20000 dollars and we need it by March.\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(TestServer.json(r).path("resource_id").asText()).isNotBlank();
    }

    @Test
    void categoriesAndConsolidation() {
        JsonNode cats = TestServer.json(server.getWithBearer("/memory/categories?scope=user:alice", reader));
        List<String> names = new ArrayList<>();
        cats.path("items").forEach(c -> names.add(c.path("name").asText()));
        assertThat(names).contains("lead_preferences");

        JsonNode cat = TestServer.json(server.getWithBearer("/memory/categories/lead_preferences?scope=user:alice", reader));
        assertThat(cat.path("item_count").asInt()).isGreaterThanOrEqualTo(3);
        assertProblem(server.getWithBearer("/memory/categories/nothing_here?scope=user:alice", reader), 404);

        HttpResponse<String> c = server.post("/memory/consolidate", writer, "{\"category\": \"lead_preferences\", \"scope\": \"user:alice\"}");
        assertThat(c.statusCode()).as(c.body()).isEqualTo(200);
        assertThat(TestServer.json(c).path("last_consolidated").asText()).isNotBlank();
        assertThat(TestServer.json(c).path("content").asText()).isNotBlank();
    }

    @Test
    void badRequestsNameTheField() {
        assertField(server.post("/memory/search", reader, "{\"query\": \"x\", \"k\": 0}"), "k");
        assertField(server.post("/memory/search", reader, "{\"query\": \"x\", \"mode\": \"psychic\"}"), "mode");
        assertField(server.post("/memory/search", reader, "{\"query\": \"x\", \"scope\": \"team:red\"}"), "scope");
        assertField(server.post("/memory/search", reader, "{\"query\": \"\"}"), "query");
        assertField(server.post("/memory", writer, "{\"content\": \"x\", \"type\": \"email\"}"), "type");
        assertField(server.post("/memory/consolidate", writer, "{\"scope\": \"global\"}"), "category");
        assertProblem(server.getWithBearer("/memory/categories?scope=bad:x", reader), 400);
        assertProblem(server.post("/memory", server.token(Scope.MEMORY_READ), "{\"content\": \"x\"}"), 403);
        assertProblem(server.post("/memory/search", server.token(Scope.MEMORY_WRITE), "{\"query\": \"x\"}"), 403);
    }

    static void assertField(HttpResponse<String> r, String field) {
        assertProblem(r, 400);
        assertThat(TestServer.json(r).path("invalid_params").get(0).path("name").asText()).isEqualTo(field);
    }
}
