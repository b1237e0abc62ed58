package io.sigil.server.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.server.Route;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document, generated from the routes the server actually registers, so it cannot list an
 * endpoint that does not exist or miss one that does. Every operation documents its security, its path
 * parameters, its success media type and the problem responses it can give.
 */
public final class OpenApiDocument {
    private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private OpenApiDocument() { }

    public static ObjectNode build(List<Route> routes, String version, ObjectMapper mapper) {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("openapi", "3.1.0");
        doc.putObject("info").put("title", "Sigil API").put("version", version)
                .put("description", "Build, run and operate LLM agents. Errors are application/problem+json (RFC 9457).");
        ObjectNode paths = doc.putObject("paths");
        for (Route r : routes) {
            ObjectNode item = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
            item.set(r.method().toLowerCase(java.util.Locale.ROOT), operation(r, mapper));
        }
        ObjectNode components = doc.putObject("components");
        ObjectNode schemes = components.putObject("securitySchemes");
        schemes.putObject("bearerAuth").put("type", "http").put("scheme", "bearer").put("bearerFormat", "JWT")
                .put("description", "HS256 JWT with exp, sub and scopes claims.");
        schemes.putObject("apiKey").put("type", "apiKey").put("in", "header").put("name", "X-API-Key");
        components.putObject("schemas").set("Problem", problemSchema(mapper));
        return doc;
    }

    private static ObjectNode operation(Route r, ObjectMapper mapper) {
        ObjectNode op = mapper.createObjectNode();
        op.put("operationId", operationId(r));
        op.put("summary", r.summary());
        op.putArray("tags").add(r.tag());
        ArrayNode params = mapper.createArrayNode();
        Matcher m = PARAM.matcher(r.path());
        while (m.find()) {
            params.addObject().put("name", m.group(1)).put("in", "path").put("required", true)
                    .putObject("schema").put("type", "string");
        }
        if (!params.isEmpty()) op.set("parameters", params);
        ObjectNode responses = op.putObject("responses");
        if (r.method().equals("DELETE")) {
            responses.putObject("204").put("description", "Deleted");
            problem(responses, "404", "Not found");
        } else {
            responses.putObject("200").put("description", "Success")
                    .putObject("content").putObject(r.produces()).putObject("schema")
                    .put("type", r.produces().startsWith("text/") ? "string" : "object");
        }
        switch (r.access()) {
            case Route.Access.Public p -> op.putArray("security");
            case Route.Access.Scoped s -> {
                security(op, mapper);
                op.put("x-required-scope", s.scope().wire());
                problem(responses, "401", "Missing or invalid credentials");
                problem(responses, "403", "The credential lacks scope " + s.scope().wire());
            }
            case Route.Access.AdminOrLocalDebug a -> {
                security(op, mapper);
                op.put("x-required-scope", "admin");
                problem(responses, "401", "Missing or invalid credentials");
                problem(responses, "403", "The credential lacks scope admin");
            }
        }
        if (r.rateLimited()) problem(responses, "429", "Rate limit exceeded (see Retry-After)");
        if (r.path().equals("/health")) problem(responses, "503", "Unhealthy");
        if (r.method().equals("POST") && r.path().endsWith("/run")) problem(responses, "503", "The server is shutting down (see Retry-After)");
        problem(responses, "default", "Any other error");
        return op;
    }

    private static void security(ObjectNode op, ObjectMapper mapper) {
        ArrayNode security = op.putArray("security");
        security.addObject().putArray("bearerAuth");
        security.addObject().putArray("apiKey");
    }

    private static void problem(ObjectNode responses, String status, String description) {
        responses.putObject(status).put("description", description)
                .putObject("content").putObject("application/problem+json").putObject("schema")
                .put("$ref", "#/components/schemas/Problem");
    }

    private static String operationId(Route r) {
        StringBuilder sb = new StringBuilder(r.method().toLowerCase(java.util.Locale.ROOT));
        for (String part : r.path().split("[/{}_.-]+")) {
            if (!part.isEmpty()) sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sb.toString();
    }

    private static ObjectNode problemSchema(ObjectMapper mapper) {
        ObjectNode s = mapper.createObjectNode().put("type", "object");
        s.putArray("required").add("type").add("title").add("status");
        ObjectNode props = s.putObject("properties");
        props.putObject("type").put("type", "string").put("format", "uri");
        props.putObject("title").put("type", "string");
        props.putObject("status").put("type", "integer");
        props.putObject("detail").put("type", "string");
        props.putObject("instance").put("type", "string");
        props.putObject("code").put("type", "string");
        props.putObject("request_id").put("type", "string");
        ObjectNode item = props.putObject("invalid_params").put("type", "array").putObject("items").put("type", "object");
        item.putObject("properties").putObject("name").put("type", "string");
        ((ObjectNode) item.get("properties")).putObject("reason").put("type", "string");
        return s;
    }
}
