package io.sigil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wire-level fakes of the five services' HTTP APIs on one local server, each under its own prefix (use
 * {@link #baseUrl(Vendor)} as the service's base URL). Paths, authentication and bodies follow the vendors'
 * documented APIs: a request with the wrong credentials gets the vendor's 401 body, an unknown path 404, and
 * {@link #failNext} scripts the vendor's error or rate-limit (429 with {@code Retry-After}) answer. Every request
 * is recorded (path with its query string) for assertions.
 */
public final class FakeServices implements AutoCloseable {
    public enum Vendor { TAVILY, ELEVENLABS, TWILIO, GOOGLE, HUBSPOT }

    public static final String TAVILY_KEY = "tvly-test-key";
    public static final String ELEVENLABS_KEY = "sk_test_elevenlabs";
    public static final String TWILIO_SID = "AC00000000000000000000000000000001";
    public static final String TWILIO_TOKEN = "twilio-test-token";
    public static final String GOOGLE_TOKEN = "ya29.fake-google-token";
    public static final String HUBSPOT_KEY = "pat-na1-test";
    /** Three seconds of silence would be long; a few bytes stand for the MP3 the fake returns. */
    public static final byte[] AUDIO = "ID3-fake-mp3-audio".getBytes(StandardCharsets.US_ASCII);

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Failure(int status, String body, String retryAfter) { }

    private final HttpServer server;
    private final Map<Vendor, Deque<RecordedRequest>> requests = new LinkedHashMap<>();
    private final Map<Vendor, Deque<Failure>> failures = new LinkedHashMap<>();
    private int ids;

    public FakeServices() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        for (Vendor v : Vendor.values()) {
            requests.put(v, new ArrayDeque<>());
            failures.put(v, new ArrayDeque<>());
            server.createContext("/" + v.name().toLowerCase(Locale.ROOT) + "/", ex -> handle(v, ex));
        }
        server.start();
    }

    public String baseUrl(Vendor v) {
        String origin = "http://127.0.0.1:" + server.getAddress().getPort() + "/" + v.name().toLowerCase(Locale.ROOT);
        return v == Vendor.GOOGLE ? origin + "/calendar/v3" : origin;
    }

    /** The token endpoint to write into a service account key's {@code token_uri}. */
    public String googleTokenUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/google/token";
    }

    /** The next request to {@code v} gets this answer (the vendor's error body) instead of a success. */
    public synchronized FakeServices failNext(Vendor v, int status, String body, String retryAfter) {
        failures.get(v).add(new Failure(status, body, retryAfter));
        return this;
    }

    public synchronized List<RecordedRequest> requests(Vendor v) { return List.copyOf(requests.get(v)); }

    @Override
    public void close() { server.stop(0); }

    private void handle(Vendor v, HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, val) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(val)));
            String prefix = "/" + v.name().toLowerCase(Locale.ROOT);
            String path = ex.getRequestURI().getRawPath().substring(prefix.length());
            String query = ex.getRequestURI().getRawQuery();
            var recorded = new RecordedRequest(ex.getRequestMethod(), path + (query == null ? "" : "?" + query), headers, body);
            Failure failure;
            synchronized (this) {
                requests.get(v).add(recorded);
                failure = failures.get(v).poll();
            }
            if (failure != null) {
                if (failure.retryAfter() != null) ex.getResponseHeaders().set("Retry-After", failure.retryAfter());
                send(ex, failure.status(), failure.body());
                return;
            }
            String unauthorized = checkAuth(v, recorded, path);
            if (unauthorized != null) {
                send(ex, 401, unauthorized);
                return;
            }
            JsonNode answer = answer(v, recorded, path);
            if (answer == null) {
                send(ex, 404, "{\"message\": \"no such endpoint in the fake: " + ex.getRequestMethod() + " " + path + "\"}");
            } else {
                send(ex, v == Vendor.TWILIO || path.endsWith("/events") && recorded.method().equals("POST")
                        || v == Vendor.HUBSPOT && recorded.method().equals("POST") && !path.endsWith("/search") ? 201 : 200,
                        answer.toString());
            }
        } catch (RuntimeException e) {
            send(ex, 500, "{\"message\": \"fake failed: " + e + "\"}");
        }
    }

    /** The vendor's 401 body when the credentials are not the expected ones, else null. */
    private static String checkAuth(Vendor v, RecordedRequest r, String path) {
        return switch (v) {
            case TAVILY -> ("Bearer " + TAVILY_KEY).equals(r.header("authorization")) ? null
                    : "{\"detail\": {\"error\": \"Unauthorized: missing or invalid API key.\"}}";
            case ELEVENLABS -> ELEVENLABS_KEY.equals(r.header("xi-api-key")) ? null
                    : "{\"detail\": {\"status\": \"invalid_api_key\", \"message\": \"Invalid API key\"}}";
            case TWILIO -> ("Basic " + Base64.getEncoder().encodeToString((TWILIO_SID + ":" + TWILIO_TOKEN)
                    .getBytes(StandardCharsets.UTF_8))).equals(r.header("authorization")) ? null
                    : "{\"code\": 20003, \"message\": \"Authenticate\", \"more_info\": \"https://www.twilio.com/docs/errors/20003\", \"status\": 401}";
            case GOOGLE -> path.equals("/token") || ("Bearer " + GOOGLE_TOKEN).equals(r.header("authorization")) ? null
                    : "{\"error\": {\"code\": 401, \"message\": \"Request had invalid authentication credentials.\", \"status\": \"UNAUTHENTICATED\"}}";
            case HUBSPOT -> ("Bearer " + HUBSPOT_KEY).equals(r.header("authorization")) ? null
                    : "{\"status\": \"error\", \"message\": \"Authentication credentials not found.\", \"category\": \"INVALID_AUTHENTICATION\"}";
        };
    }

    private JsonNode answer(Vendor v, RecordedRequest r, String path) throws IOException {
        String method = r.method();
        return switch (v) {
            case TAVILY -> tavily(method, path, r);
            case ELEVENLABS -> elevenlabs(method, path, r);
            case TWILIO -> twilio(method, path, r);
            case GOOGLE -> google(method, path, r);
            case HUBSPOT -> hubspot(method, path, r);
        };
    }

    private JsonNode tavily(String method, String path, RecordedRequest r) {
        if (!method.equals("POST")) return null;
        if (path.equals("/search")) {
            String q = r.json().path("query").asText();
            ObjectNode o = JSON.createObjectNode().put("query", q).put("answer", "An answer about " + q + ".");
            ArrayNode results = o.putArray("results");
            for (int i = 1; i <= Math.min(2, r.json().path("max_results").asInt(5)); i++) {
                results.addObject().put("title", "Result " + i + " on " + q).put("url", "https://example.com/" + i)
                        .put("content", "Excerpt " + i + " about " + q).put("score", 0.9 / i).putNull("raw_content");
            }
            return o.put("response_time", 0.42);
        }
        if (path.equals("/extract")) {
            ObjectNode o = JSON.createObjectNode();
            ArrayNode results = o.putArray("results");
            ArrayNode failed = o.putArray("failed_results");
            for (JsonNode url : r.json().path("urls")) {
                if (url.asText().contains("unreachable")) failed.addObject().put("url", url.asText()).put("error", "timeout");
                else results.addObject().put("url", url.asText()).put("raw_content", "Text of " + url.asText());
            }
            return o;
        }
        return null;
    }

    private static final Pattern TTS = Pattern.compile("/v1/text-to-speech/([A-Za-z0-9]+)/with-timestamps");

    private JsonNode elevenlabs(String method, String path, RecordedRequest r) {
        if (!method.equals("POST") || !TTS.matcher(path).matches()) return null;
        String text = r.json().path("text").asText();
        ObjectNode o = JSON.createObjectNode().put("audio_base64", Base64.getEncoder().encodeToString(AUDIO));
        ObjectNode alignment = o.putObject("alignment");
        ArrayNode chars = alignment.putArray("characters");
        ArrayNode starts = alignment.putArray("character_start_times_seconds");
        ArrayNode ends = alignment.putArray("character_end_times_seconds");
        for (int i = 0; i < text.length(); i++) {
            chars.add(String.valueOf(text.charAt(i)));
            starts.add(i * 0.05);
            ends.add((i + 1) * 0.05);
        }
        o.set("normalized_alignment", alignment.deepCopy());
        return o;
    }

    private static final Pattern TWILIO_PATH = Pattern.compile("/2010-04-01/Accounts/([A-Za-z0-9]+)/(Messages|Calls)\\.json");

    private synchronized JsonNode twilio(String method, String path, RecordedRequest r) {
        Matcher m = TWILIO_PATH.matcher(path);
        if (!method.equals("POST") || !m.matches() || !m.group(1).equals(TWILIO_SID)) return null;
        Map<String, String> form = form(r.body());
        boolean sms = m.group(2).equals("Messages");
        String sid = (sms ? "SM" : "CA") + String.format("%032x", ++ids);
        ObjectNode o = JSON.createObjectNode().put("sid", sid).put("account_sid", TWILIO_SID)
                .put("to", form.get("To")).put("from", form.get("From")).put("status", "queued");
        if (sms) o.put("body", form.get("Body")).put("num_segments", "1").put("direction", "outbound-api");
        return o;
    }

    private static final Pattern EVENTS = Pattern.compile("/calendar/v3/calendars/([^/]+)/events");

    private JsonNode google(String method, String path, RecordedRequest r) {
        if (path.equals("/token") && method.equals("POST")) {
            Map<String, String> form = form(r.body());
            if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))
                    || form.getOrDefault("assertion", "").split("\\.").length != 3) {
                return JSON.createObjectNode().put("error", "invalid_grant");
            }
            return JSON.createObjectNode().put("access_token", GOOGLE_TOKEN).put("expires_in", 3599)
                    .put("token_type", "Bearer");
        }
        if (path.equals("/calendar/v3/freeBusy") && method.equals("POST")) {
            ObjectNode o = JSON.createObjectNode().put("kind", "calendar#freeBusy")
                    .put("timeMin", r.json().path("timeMin").asText()).put("timeMax", r.json().path("timeMax").asText());
            ObjectNode cals = o.putObject("calendars");
            for (JsonNode item : r.json().path("items")) {
                cals.putObject(item.path("id").asText()).putArray("busy").addObject()
                        .put("start", "2026-03-02T10:00:00Z").put("end", "2026-03-02T11:00:00Z");
            }
            return o;
        }
        Matcher m = EVENTS.matcher(path);
        if (!m.matches()) return null;
        if (method.equals("GET")) {
            ObjectNode o = JSON.createObjectNode().put("kind", "calendar#events").put("summary", m.group(1));
            o.putArray("items").addObject().put("id", "evt1").put("status", "confirmed").put("summary", "Standup")
                    .put("htmlLink", "https://calendar.google.com/event?eid=evt1")
                    .<ObjectNode>set("start", JSON.createObjectNode().put("dateTime", "2026-03-02T09:00:00Z"))
                    .set("end", JSON.createObjectNode().put("dateTime", "2026-03-02T09:15:00Z"));
            return o;
        }
        if (method.equals("POST")) {
            ObjectNode event = (ObjectNode) r.json().deepCopy();
            event.put("kind", "calendar#event").put("status", "confirmed")
                    .put("htmlLink", "https://calendar.google.com/event?eid=" + event.path("id").asText());
            return event;
        }
        return null;
    }

    private static final Pattern CRM = Pattern.compile("/crm/v3/objects/(contacts|deals)(/search|/[0-9]+)?");

    private synchronized JsonNode hubspot(String method, String path, RecordedRequest r) {
        Matcher m = CRM.matcher(path);
        if (!m.matches()) return null;
        String tail = m.group(2);
        if ("/search".equals(tail) && method.equals("POST")) {
            ObjectNode o = JSON.createObjectNode().put("total", 1);
            o.putArray("results").addObject().put("id", "101").put("archived", false)
                    .put("createdAt", "2026-01-01T00:00:00Z").put("updatedAt", "2026-01-02T00:00:00Z")
                    .putObject("properties").put(m.group(1).equals("contacts") ? "email" : "dealname",
                            m.group(1).equals("contacts") ? "jane@acme.example" : "ACME expansion")
                    .put("hs_object_id", "101");
            return o;
        }
        if (tail == null && method.equals("POST") || tail != null && !tail.equals("/search") && method.equals("PATCH")) {
            ObjectNode o = JSON.createObjectNode().put("id", tail == null ? String.valueOf(200 + ++ids) : tail.substring(1))
                    .put("archived", false).put("updatedAt", "2026-03-01T12:00:00Z");
            o.set("properties", r.json().path("properties"));
            return o;
        }
        return null;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String val = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, val);
        }
        return out;
    }

    /** The form fields of a recorded form-encoded request (Twilio, the token endpoint). */
    public static Map<String, String> formOf(RecordedRequest r) { return form(r.body()); }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

}
