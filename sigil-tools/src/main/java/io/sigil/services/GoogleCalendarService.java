package io.sigil.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Google Calendar API v3 with a service account: free/busy ({@code POST /freeBusy}), events of a time range
 * ({@code GET /calendars/{id}/events}) and new events ({@code POST /calendars/{id}/events}). A new event gets an id
 * derived from its arguments, so creating it again answers 409 (already there) instead of booking it twice.
 */
final class GoogleCalendarService {
    private static final String RANGE = """
            "time_min": {"type": "string", "format": "date-time", "description": "RFC 3339, e.g. 2026-03-01T09:00:00Z"},
            "time_max": {"type": "string", "format": "date-time"}""";

    private final ServiceHttp http;
    private final String baseUrl;
    private final GoogleCredentials credentials;
    private final String calendarId;

    GoogleCalendarService(ServiceHttp http, String baseUrl, GoogleCredentials credentials, String calendarId) {
        this.http = http;
        this.baseUrl = Services.trimSlash(baseUrl);
        this.credentials = credentials;
        this.calendarId = calendarId;
    }

    List<ServiceTool> tools(java.time.Duration timeout) {
        return List.of(
                new ServiceTool("google_calendar", "calendar_free_busy", "Returns the busy intervals of a calendar"
                        + " (Google Calendar) between two times, to find free slots.",
                        "{\"type\": \"object\", \"properties\": {" + RANGE + ", \"calendar_id\": {\"type\": \"string\"}},"
                                + " \"required\": [\"time_min\", \"time_max\"], \"additionalProperties\": false}",
                        false, timeout, this::freeBusy),
                new ServiceTool("google_calendar", "calendar_list_events", "Lists the events of a calendar (Google"
                        + " Calendar) between two times.",
                        "{\"type\": \"object\", \"properties\": {" + RANGE + ", \"calendar_id\": {\"type\": \"string\"},"
                                + " \"max_results\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 250}},"
                                + " \"required\": [\"time_min\", \"time_max\"], \"additionalProperties\": false}",
                        false, timeout, this::listEvents),
                new ServiceTool("google_calendar", "calendar_create_event", "Creates an event (Google Calendar) and"
                        + " invites its attendees. Changes the world: only book what was agreed.",
                        """
                        {"type": "object", "properties": {
                          "summary": {"type": "string", "minLength": 1, "maxLength": 500},
                          "start": {"type": "string", "format": "date-time"},
                          "end": {"type": "string", "format": "date-time"},
                          "description": {"type": "string", "maxLength": 5000},
                          "attendees": {"type": "array", "items": {"type": "string", "format": "email"}, "maxItems": 50},
                          "calendar_id": {"type": "string"}},
                         "required": ["summary", "start", "end"], "additionalProperties": false}""",
                        true, timeout, this::createEvent));
    }

    private String calendar(JsonNode args) { return args.path("calendar_id").asText(calendarId); }

    private JsonNode freeBusy(JsonNode args) {
        ObjectNode body = ServiceHttp.JSON.createObjectNode()
                .put("timeMin", args.path("time_min").asText()).put("timeMax", args.path("time_max").asText());
        body.putArray("items").addObject().put("id", calendar(args));
        JsonNode r = http.send(GoogleCredentials.bearer(http.request(baseUrl + "/freeBusy"), credentials.accessToken(http))
                .header("Content-Type", "application/json").POST(ServiceHttp.json(body)).build());
        JsonNode cal = r.path("calendars").path(calendar(args));
        ObjectNode out = ServiceHttp.JSON.createObjectNode().put("calendar_id", calendar(args));
        out.set("busy", cal.path("busy").isArray() ? cal.path("busy") : ServiceHttp.JSON.createArrayNode());
        if (cal.path("errors").isArray() && !cal.path("errors").isEmpty()) out.set("errors", cal.path("errors"));
        return out;
    }

    private JsonNode listEvents(JsonNode args) {
        String url = baseUrl + "/calendars/" + ServiceHttp.encode(calendar(args)) + "/events?singleEvents=true"
                + "&orderBy=startTime&timeMin=" + ServiceHttp.encode(args.path("time_min").asText())
                + "&timeMax=" + ServiceHttp.encode(args.path("time_max").asText())
                + "&maxResults=" + args.path("max_results").asInt(50);
        JsonNode r = http.send(GoogleCredentials.bearer(http.request(url), credentials.accessToken(http)).GET().build());
        ArrayNode events = ServiceHttp.JSON.createArrayNode();
        for (JsonNode e : r.path("items")) events.add(event(e));
        ObjectNode out = ServiceHttp.JSON.createObjectNode().put("calendar_id", calendar(args));
        out.set("events", events);
        return out;
    }

    private JsonNode createEvent(JsonNode args) {
        ObjectNode body = ServiceHttp.JSON.createObjectNode()
                .put("id", Services.idempotencyKey("event", args))
                .put("summary", args.path("summary").asText());
        if (args.hasNonNull("description")) body.put("description", args.path("description").asText());
        body.putObject("start").put("dateTime", args.path("start").asText());
        body.putObject("end").put("dateTime", args.path("end").asText());
        if (args.path("attendees").isArray()) {
            ArrayNode attendees = body.putArray("attendees");
            args.path("attendees").forEach(a -> attendees.addObject().put("email", a.asText()));
        }
        JsonNode r = http.send(GoogleCredentials.bearer(http.request(baseUrl + "/calendars/"
                + ServiceHttp.encode(calendar(args)) + "/events?sendUpdates=all"), credentials.accessToken(http))
                .header("Content-Type", "application/json").POST(ServiceHttp.json(body)).build());
        return event(r);
    }

    private static ObjectNode event(JsonNode e) {
        ObjectNode o = ServiceHttp.JSON.createObjectNode().put("id", e.path("id").asText())
                .put("summary", e.path("summary").asText())
                .put("start", e.path("start").path("dateTime").asText(e.path("start").path("date").asText()))
                .put("end", e.path("end").path("dateTime").asText(e.path("end").path("date").asText()));
        if (e.path("htmlLink").isTextual()) o.put("link", e.path("htmlLink").asText());
        if (e.path("status").isTextual()) o.put("status", e.path("status").asText());
        return o;
    }
}
