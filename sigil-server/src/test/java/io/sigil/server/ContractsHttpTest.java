package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.auth.Scope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Contracts, templates, tools and routing endpoints of the assembled API, over real HTTP. */
class ContractsHttpTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static String reader;
    static String writer;

    @BeforeAll
    static void start() {
        server = TestServer.full(dir, TestServer.Options.defaults());
        reader = server.token(Scope.CONTRACTS_READ);
        writer = server.token(Scope.CONTRACTS_WRITE, Scope.CONTRACTS_READ);
    }

    @AfterAll
    static void stop() { server.close(); }

    static final String TICKET = """
            {"name": "ticket_triage", "version": "1.0.0", "description": "Route a support ticket",
             "deliverables": [
               {"name": "priority", "type": "int", "rules": ["1 <= value <= 5"]},
               {"name": "team", "type": "str", "enum": ["billing", "tech"]},
               {"name": "tags", "type": "list[str]", "required": false}]}
            """;

    @Test
    void listsTemplatesAndContractsPaged() {
        HttpResponse<String> r = server.getWithBearer("/contracts?limit=2", reader);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode page = TestServer.json(r);
        assertThat(page.path("items")).hasSize(2);
        assertThat(page.path("total").asInt()).isGreaterThanOrEqualTo(5);
        assertThat(page.path("next_offset").asInt()).isEqualTo(2);
        assertThat(page.path("items").get(0).has("latest_version")).isTrue();

        JsonNode templates = TestServer.json(server.getWithBearer("/templates", reader));
        assertThat(templates.path("total").asInt()).isEqualTo(5);
        List<String> names = new ArrayList<>();
        templates.path("items").forEach(t -> names.add(t.path("name").asText()));
        assertThat(names).contains("lead_qualification", "research_report");

        JsonNode lead = TestServer.json(server.getWithBearer("/templates/lead_qualification", reader));
        assertThat(lead.path("deliverables").get(0).path("name").asText()).isEqualTo("score");
        assertProblem(server.getWithBearer("/templates/nope", reader), 404);
        assertProblem(server.getWithBearer("/contracts?limit=0", reader), 400);
    }

    @Test
    void createsAContractThenANewVersionAndRefusesOverwriting() throws Exception {
        HttpResponse<String> created = server.post("/contracts", writer, TICKET);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/contracts/ticket_triage?version=1.0.0");
        assertThat(Files.exists(dir.resolve("contracts/ticket_triage-1.0.0.yaml"))).isTrue();

        HttpResponse<String> again = server.post("/contracts", writer, TICKET);
        assertProblem(again, 409);
        assertThat(TestServer.json(again).path("invalid_params").get(0).path("name").asText()).isEqualTo("version");

        assertThat(server.post("/contracts", writer, TICKET.replace("1.0.0", "1.1.0")).statusCode()).isEqualTo(201);
        JsonNode latest = TestServer.json(server.getWithBearer("/contracts/ticket_triage", reader));
        assertThat(latest.path("version").asText()).isEqualTo("1.1.0");
        assertThat(latest.path("versions").toString()).isEqualTo("[\"1.0.0\",\"1.1.0\"]");
        JsonNode first = TestServer.json(server.getWithBearer("/contracts/ticket_triage?version=1.0.0", reader));
        assertThat(first.path("version").asText()).isEqualTo("1.0.0");
        assertProblem(server.getWithBearer("/contracts/ticket_triage?version=9.9.9", reader), 404);
    }

    @Test
    void invalidDefinitionsNameEveryBadField() {
        String bad = """
                {"name": "broken", "deliverables": [
                  {"name": "score", "type": "banana"},
                  {"name": "ok", "type": "bool", "rules": ["value >>> 3"]}],
                 "max_retries": "two", "colour": "red"}
                """;
        HttpResponse<String> r = server.post("/contracts", writer, bad);
        assertProblem(r, 400);
        List<String> fields = new ArrayList<>();
        TestServer.json(r).path("invalid_params").forEach(p -> fields.add(p.path("name").asText()));
        assertThat(fields).contains("deliverables[0].type", "deliverables[1].rules[0]", "max_retries", "colour");

        HttpResponse<String> noDeliverables = server.post("/contracts", writer, "{\"name\": \"empty\", \"deliverables\": []}");
        assertProblem(noDeliverables, 400);
        assertThat(TestServer.json(noDeliverables).path("invalid_params").get(0).path("name").asText()).startsWith("deliverables");
        assertProblem(server.post("/contracts", writer, "[1, 2]"), 400);
    }

    @Test
    void validatesOutputsWithFieldPaths() {
        String path = "/contracts/lead_qualification/validate";
        HttpResponse<String> bad = server.post(path, writer, """
                {"output": {"score": 140, "bant_assessment": {"budget": "yes"}, "recommended_action": "call"}}""");
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(200);
        JsonNode report = TestServer.json(bad);
        assertThat(report.path("valid").asBoolean()).isFalse();
        List<String> fields = new ArrayList<>();
        report.path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertThat(fields).contains("score");
        assertThat(report.path("errors").get(0).has("reason")).isTrue();

        JsonNode example = TestServer.json(server.getWithBearer("/templates/lead_qualification", reader));
        StringBuilder output = new StringBuilder("{");
        example.path("deliverables").forEach(d -> {
            if (d.has("example")) output.append(output.length() > 1 ? "," : "").append('"').append(d.path("name").asText())
                    .append("\":").append(d.path("example"));
        });
        output.append('}');
        JsonNode good = TestServer.json(server.post(path, writer, "{\"output\": " + output + "}"));
        assertThat(good.path("valid").asBoolean()).as(good.toString()).isTrue();

        JsonNode text = TestServer.json(server.post(path, writer, "{\"output\": \"not json at all\"}"));
        assertThat(text.path("valid").asBoolean()).isFalse();

        HttpResponse<String> missing = server.post(path, writer, "{\"strict\": true}");
        assertProblem(missing, 400);
        assertThat(TestServer.json(missing).path("invalid_params").get(0).path("name").asText()).isEqualTo("output");
        assertProblem(server.post("/contracts/no_such/validate", writer, "{\"output\": {}}"), 404);
        assertProblem(server.post("/contracts/bad%20name/validate", writer, "{\"output\": {}}"), 400);
    }

    @Test
    void scopesAreEnforced() {
        assertProblem(server.post("/contracts", reader, TICKET.replace("ticket_triage", "other")), 403);
        assertProblem(server.post("/contracts/lead_qualification/validate", reader, "{\"output\": {}}"), 403);
        assertProblem(server.get("/contracts"), 401);
        assertProblem(server.getWithBearer("/tools", reader), 403);
    }

    @Test
    void toolsListTheirSchemas() {
        String agents = server.token(Scope.AGENTS_READ);
        JsonNode tools = TestServer.json(server.getWithBearer("/tools", agents));
        assertThat(tools.path("items").get(0).path("name").asText()).isEqualTo("current_time");
        assertThat(tools.path("items").get(0).path("input_schema").path("type").asText()).isEqualTo("object");
        assertThat(TestServer.json(server.getWithBearer("/tools/current_time", agents)).path("description").asText()).isNotBlank();
        assertProblem(server.getWithBearer("/tools/nope", agents), 404);
    }

    @Test
    void routeExplainsTheDecision() {
        String runs = server.token(Scope.RUNS_EXECUTE);
        HttpResponse<String> r = server.post("/route", runs,
                "{\"message\": \"Remember that I prefer calls on Monday, then plan and analyze the budget tradeoffs\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode d = TestServer.json(r);
        assertThat(d.path("intent").asText()).isNotBlank();
        assertThat(d.path("factors").path("router").asText()).isEqualTo("keyword");
        assertThat(d.path("factors").path("complexity").has("raw")).isTrue();
        assertThat(d.has("use_planning")).isTrue();

        HttpResponse<String> blank = server.post("/route", runs, "{\"message\": \"  \"}");
        assertProblem(blank, 400);
        assertThat(TestServer.json(blank).path("invalid_params").get(0).path("name").asText()).isEqualTo("message");
        assertProblem(server.post("/route", reader, "{\"message\": \"hi\"}"), 403);
    }

    @Test
    void deletesContractsButNeverTemplates() throws Exception {
        String doomed = TICKET.replace("ticket_triage", "doomed_contract");
        assertThat(server.post("/contracts", writer, doomed).statusCode()).isEqualTo(201);
        assertThat(server.post("/contracts", writer, doomed.replace("1.0.0", "1.1.0")).statusCode()).isEqualTo(201);

        assertProblem(server.delete("/contracts/doomed_contract", reader), 403);
        assertProblem(server.delete("/contracts/doomed_contract?version=9.9.9", writer), 404);
        assertThat(server.delete("/contracts/doomed_contract?version=1.1.0", writer).statusCode()).isEqualTo(204);
        JsonNode left = TestServer.json(server.getWithBearer("/contracts/doomed_contract", reader));
        assertThat(left.path("versions").toString()).isEqualTo("[\"1.0.0\"]");
        assertThat(server.delete("/contracts/doomed_contract", writer).statusCode()).isEqualTo(204);
        assertProblem(server.getWithBearer("/contracts/doomed_contract", reader), 404);
        assertProblem(server.delete("/contracts/doomed_contract", writer), 404);
        try (var files = Files.list(dir.resolve("contracts"))) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.startsWith("doomed_contract"));
        }

        HttpResponse<String> template = server.delete("/contracts/lead_qualification", writer);
        assertProblem(template, 409);
        assertThat(TestServer.json(template).path("detail").asText()).contains("bundled template");
        assertThat(server.getWithBearer("/contracts/lead_qualification", reader).statusCode()).isEqualTo(200);
        assertProblem(server.delete("/contracts/Bad%20Name", writer), 400);
    }

    @Test
    void everyNewRouteIsInTheOpenApiDocument() {
        JsonNode paths = TestServer.json(server.get("/openapi.json")).path("paths");
        assertThat(paths.path("/contracts").has("get")).isTrue();
        assertThat(paths.path("/contracts").has("post")).isTrue();
        assertThat(paths.path("/contracts/{name}/validate").path("post").path("x-required-scope").asText())
                .isEqualTo("contracts:write");
        assertThat(paths.path("/tools").path("get").path("x-required-scope").asText()).isEqualTo("agents:read");
        assertThat(paths.path("/route").path("post").path("x-required-scope").asText()).isEqualTo("runs:execute");
        assertThat(paths.has("/templates/{name}")).isTrue();
        JsonNode delete = paths.path("/contracts/{name}").path("delete");
        assertThat(delete.path("x-required-scope").asText()).isEqualTo("contracts:write");
        assertThat(delete.path("responses").has("204")).isTrue();
    }

    @Test
    void namesThatReachAPathAreValidatedAndNoServerPathIsShown() throws Exception {
        // A sub-directory whose name contains '-' once let "version" climb out of the contracts directory.
        java.nio.file.Files.createDirectories(dir.resolve("contracts/ticket_triage-versions"));
        String root = dir.toAbsolutePath().toString();
        for (String version : List.of("versions/../../../x", "../../x", "1.0/../../x", "1.0.0\u0000", "..", "1..0",
                "1.0.0/x", "a".repeat(300))) {
            HttpResponse<String> r = server.post("/contracts", writer, TICKET.replace("\"1.0.0\"",
                    TestServer.JSON.writeValueAsString(version)));
            assertProblem(r, 400);
            assertThat(r.body()).as(version).contains("version").doesNotContain(root);
        }
        try (var files = java.nio.file.Files.walk(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("x") || n.endsWith("-x.yaml"));
        }
        HttpResponse<String> badName = server.post("/contracts", writer, TICKET.replace("ticket_triage", "../evil"));
        assertProblem(badName, 400);
        assertThat(badName.body()).doesNotContain(root);
        for (String path : List.of("/contracts/..%2F..%2Fetc", "/templates/..%2Fsecret", "/contracts/a%00b")) {
            HttpResponse<String> r = server.getWithBearer(path, reader);
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            assertThat(r.body()).doesNotContain(root);
        }
    }

    static void assertProblem(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
    }
}
