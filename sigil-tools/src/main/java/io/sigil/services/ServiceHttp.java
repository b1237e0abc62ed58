package io.sigil.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.errors.ToolError;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One vendor's HTTP API over the JDK client: sends a request with the service's timeout and turns every answer
 * that is not 2xx into a {@link ToolError} the model can read: the vendor's own message, and for 429 how long to
 * wait. Nothing is retried here: a read can simply be called again by the model, and a write (an SMS, an event)
 * must not be sent twice because an answer was lost.
 */
final class ServiceHttp {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String service;
    private final Supplier<HttpClient> client;
    private final Duration timeout;

    ServiceHttp(String service, Supplier<HttpClient> client, Duration timeout) {
        this.service = service;
        this.client = client;
        this.timeout = timeout;
    }

    HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Accept", "application/json")
                .header("User-Agent", "sigil/0.1");
    }

    static HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalArgumentException("not serialisable as JSON", e);
        }
    }

    static HttpRequest.BodyPublisher form(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> {
            if (v == null) return;
            if (!sb.isEmpty()) sb.append('&');
            sb.append(encode(k)).append('=').append(encode(v));
        });
        return HttpRequest.BodyPublishers.ofString(sb.toString());
    }

    static String encode(String s) { return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8); }

    /** Sends and parses a JSON answer. */
    JsonNode send(HttpRequest request) {
        HttpResponse<byte[]> response = exchange(request);
        try {
            byte[] body = response.body();
            return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new ToolError(service + " answered HTTP " + response.statusCode() + " with a body that is not JSON");
        }
    }

    /** Sends and returns the raw 2xx answer. */
    HttpResponse<byte[]> exchange(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = client.get().send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new ToolError(service + " did not answer within " + timeout.toSeconds() + " s",
                    "try again later; the service may be slow or unreachable");
        } catch (IOException e) {
            throw new ToolError(service + " is unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), "check the network and the service's base URL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolError("interrupted while calling " + service);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) return response;
        String message = vendorMessage(response.body());
        if (status == 429) {
            String after = response.headers().firstValue("retry-after").orElse(null);
            throw new ToolError(service + " rate limit reached (HTTP 429)" + (message.isEmpty() ? "" : ": " + message)
                    + (after == null ? "" : "; retry after " + after + " s"),
                    "wait before calling it again, or do without it for now");
        }
        if (status == 401 || status == 403) {
            throw new ToolError(service + " refused the credentials (HTTP " + status + ")"
                    + (message.isEmpty() ? "" : ": " + message), "check the service's key in the configuration");
        }
        throw new ToolError(service + " answered HTTP " + status + (message.isEmpty() ? "" : ": " + message),
                status >= 500 ? "the service failed; try again later" : "fix the arguments and call again");
    }

    /** The human-readable message out of the vendors' error shapes. */
    private static String vendorMessage(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            JsonNode n = JSON.readTree(text);
            for (String path : new String[]{"/message", "/detail/message", "/detail/error", "/detail", "/error/message",
                    "/error", "/error_description"}) {
                JsonNode v = n.at(path);
                if (v.isTextual() && !v.asText().isBlank()) return clip(v.asText());
            }
        } catch (IOException notJson) {
            // fall through to the text itself
        }
        return clip(text);
    }

    private static String clip(String s) { return s.length() <= 300 ? s : s.substring(0, 297) + "..."; }
}
