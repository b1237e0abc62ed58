package io.sigil.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Web search and page extraction with Tavily ({@code POST /search}, {@code POST /extract}, {@code Authorization:
 * Bearer <key>}). Results are trimmed to what a model needs: title, URL, content and score.
 */
final class TavilyService {
    private final ServiceHttp http;
    private final String baseUrl;
    private final String key;

    TavilyService(ServiceHttp http, String baseUrl, String key) {
        this.http = http;
        this.baseUrl = Services.trimSlash(baseUrl);
        this.key = key;
    }

    List<ServiceTool> tools(java.time.Duration timeout) {
        return List.of(
                new ServiceTool("tavily", "web_search", "Searches the web (Tavily) and returns the most relevant pages"
                        + " with their URL, an excerpt and a relevance score, plus a short answer when one is found.",
                        """
                        {"type": "object", "properties": {
                          "query": {"type": "string", "minLength": 1, "maxLength": 400},
                          "max_results": {"type": "integer", "minimum": 1, "maximum": 20, "default": 5},
                          "topic": {"type": "string", "enum": ["general", "news", "finance"]},
                          "search_depth": {"type": "string", "enum": ["basic", "advanced"]}},
                         "required": ["query"], "additionalProperties": false}""", false, timeout, this::search),
                new ServiceTool("tavily", "web_extract", "Fetches web pages (Tavily extract) and returns their text.",
                        """
                        {"type": "object", "properties": {
                          "urls": {"type": "array", "items": {"type": "string", "pattern": "^https?://"}, "minItems": 1, "maxItems": 10}},
                         "required": ["urls"], "additionalProperties": false}""", false, timeout, this::extract));
    }

    private JsonNode search(JsonNode args) {
        ObjectNode body = ServiceHttp.JSON.createObjectNode()
                .put("query", args.path("query").asText())
                .put("max_results", args.path("max_results").asInt(5))
                .put("search_depth", args.path("search_depth").asText("basic"))
                .put("topic", args.path("topic").asText("general"))
                .put("include_answer", true);
        JsonNode r = http.send(http.request(baseUrl + "/search").header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(ServiceHttp.json(body)).build());
        ObjectNode out = ServiceHttp.JSON.createObjectNode();
        if (r.path("answer").isTextual()) out.put("answer", r.path("answer").asText());
        ArrayNode results = out.putArray("results");
        for (JsonNode item : r.path("results")) {
            results.addObject().put("title", item.path("title").asText()).put("url", item.path("url").asText())
                    .put("content", item.path("content").asText()).put("score", item.path("score").asDouble());
        }
        return out;
    }

    private JsonNode extract(JsonNode args) {
        ObjectNode body = ServiceHttp.JSON.createObjectNode();
        body.set("urls", args.path("urls"));
        JsonNode r = http.send(http.request(baseUrl + "/extract").header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(ServiceHttp.json(body)).build());
        ObjectNode out = ServiceHttp.JSON.createObjectNode();
        ArrayNode results = out.putArray("results");
        for (JsonNode item : r.path("results")) {
            results.addObject().put("url", item.path("url").asText()).put("content", item.path("raw_content").asText());
        }
        ArrayNode failed = out.putArray("failed");
        for (JsonNode item : r.path("failed_results")) {
            failed.addObject().put("url", item.path("url").asText()).put("error", item.path("error").asText());
        }
        return out;
    }
}
