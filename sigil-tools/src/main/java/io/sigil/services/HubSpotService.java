package io.sigil.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * HubSpot CRM v3 contacts and deals ({@code Authorization: Bearer <private app token>}): search
 * ({@code POST /crm/v3/objects/{type}/search}), create ({@code POST /crm/v3/objects/{type}}) and update
 * ({@code PATCH /crm/v3/objects/{type}/{id}}). Create and update change the CRM and are marked as side effects.
 */
final class HubSpotService {
    private record Kind(String type, String singular, List<String> properties) { }

    private static final List<Kind> KINDS = List.of(
            new Kind("contacts", "contact", List.of("email", "firstname", "lastname", "company", "phone", "jobtitle",
                    "lifecyclestage")),
            new Kind("deals", "deal", List.of("dealname", "amount", "dealstage", "pipeline", "closedate")));

    private final ServiceHttp http;
    private final String baseUrl;
    private final String key;

    HubSpotService(ServiceHttp http, String baseUrl, String key) {
        this.http = http;
        this.baseUrl = Services.trimSlash(baseUrl);
        this.key = key;
    }

    List<ServiceTool> tools(java.time.Duration timeout) {
        List<ServiceTool> tools = new ArrayList<>();
        for (Kind k : KINDS) {
            String props = "{\"type\": \"object\", \"additionalProperties\": {\"type\": [\"string\", \"number\"]},"
                    + " \"minProperties\": 1, \"description\": \"HubSpot properties, e.g. " + String.join(", ", k.properties()) + "\"}";
            tools.add(new ServiceTool("hubspot", "crm_search_" + k.type(), "Searches HubSpot " + k.type()
                    + " by text (name, email, domain) and returns their main properties.",
                    "{\"type\": \"object\", \"properties\": {\"query\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 200},"
                            + " \"limit\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 100}},"
                            + " \"required\": [\"query\"], \"additionalProperties\": false}",
                    false, timeout, args -> search(k, args)));
            tools.add(new ServiceTool("hubspot", "crm_create_" + k.singular(), "Creates a HubSpot " + k.singular()
                    + ". Changes the CRM: only create what the user asked for.",
                    "{\"type\": \"object\", \"properties\": {\"properties\": " + props + "},"
                            + " \"required\": [\"properties\"], \"additionalProperties\": false}",
                    true, timeout, args -> create(k, args)));
            tools.add(new ServiceTool("hubspot", "crm_update_" + k.singular(), "Updates properties of a HubSpot "
                    + k.singular() + " by id. Changes the CRM.",
                    "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"string\", \"pattern\": \"^[0-9]{1,20}$\"},"
                            + " \"properties\": " + props + "}, \"required\": [\"id\", \"properties\"], \"additionalProperties\": false}",
                    true, timeout, args -> update(k, args)));
        }
        return tools;
    }

    private HttpRequest.Builder request(String path) {
        return http.request(baseUrl + path).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json");
    }

    private JsonNode search(Kind k, JsonNode args) {
        ObjectNode body = ServiceHttp.JSON.createObjectNode().put("query", args.path("query").asText())
                .put("limit", args.path("limit").asInt(10));
        ArrayNode props = body.putArray("properties");
        k.properties().forEach(props::add);
        JsonNode r = http.send(request("/crm/v3/objects/" + k.type() + "/search").POST(ServiceHttp.json(body)).build());
        ObjectNode out = ServiceHttp.JSON.createObjectNode().put("total", r.path("total").asInt());
        ArrayNode results = out.putArray("results");
        for (JsonNode o : r.path("results")) results.add(object(o));
        return out;
    }

    private JsonNode create(Kind k, JsonNode args) {
        ObjectNode body = ServiceHttp.JSON.createObjectNode();
        body.set("properties", args.path("properties"));
        return object(http.send(request("/crm/v3/objects/" + k.type()).POST(ServiceHttp.json(body)).build()));
    }

    private JsonNode update(Kind k, JsonNode args) {
        ObjectNode body = ServiceHttp.JSON.createObjectNode();
        body.set("properties", args.path("properties"));
        return object(http.send(request("/crm/v3/objects/" + k.type() + "/" + args.path("id").asText())
                .method("PATCH", ServiceHttp.json(body)).build()));
    }

    private static ObjectNode object(JsonNode o) {
        ObjectNode out = ServiceHttp.JSON.createObjectNode().put("id", o.path("id").asText());
        out.set("properties", o.path("properties").isObject() ? o.path("properties") : ServiceHttp.JSON.createObjectNode());
        if (o.path("updatedAt").isTextual()) out.put("updated_at", o.path("updatedAt").asText());
        return out;
    }
}
