package io.sigil.services;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SMS and voice calls with Twilio's REST API ({@code POST /2010-04-01/Accounts/{sid}/Messages.json} and
 * {@code Calls.json}, form-encoded, HTTP Basic with the account SID and auth token). Both change the world: they
 * are marked as side effects and carry Twilio's {@code I-Twilio-Idempotency-Token}, derived from the arguments,
 * so a request that is sent again (a plan step retried after a lost answer) is not delivered twice.
 */
final class TwilioService {
    private final ServiceHttp http;
    private final String baseUrl;
    private final String accountSid;
    private final String authorization;
    private final String from;

    TwilioService(ServiceHttp http, String baseUrl, String accountSid, String authToken, String from) {
        this.http = http;
        this.baseUrl = Services.trimSlash(baseUrl);
        this.accountSid = accountSid;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + authToken)
                .getBytes(StandardCharsets.UTF_8));
        this.from = from;
    }

    List<ServiceTool> tools(java.time.Duration timeout) {
        String phone = "{\"type\": \"string\", \"pattern\": \"^\\\\+[1-9][0-9]{6,14}$\", \"description\": \"E.164, e.g. +14155550123\"}";
        return List.of(
                new ServiceTool("twilio", "sms_send", "Sends an SMS (Twilio) to a phone number. Changes the world:"
                        + " only send what the user asked for.",
                        "{\"type\": \"object\", \"properties\": {\"to\": " + phone + ", \"body\": {\"type\": \"string\","
                                + " \"minLength\": 1, \"maxLength\": 1600}}, \"required\": [\"to\", \"body\"],"
                                + " \"additionalProperties\": false}", true, timeout, this::sms),
                new ServiceTool("twilio", "phone_call", "Places a phone call (Twilio) that reads a message aloud."
                        + " Changes the world: only call when the user asked for it.",
                        "{\"type\": \"object\", \"properties\": {\"to\": " + phone + ", \"message\": {\"type\": \"string\","
                                + " \"minLength\": 1, \"maxLength\": 2000}}, \"required\": [\"to\", \"message\"],"
                                + " \"additionalProperties\": false}", true, timeout, this::call));
    }

    private JsonNode sms(JsonNode args) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", args.path("to").asText());
        form.put("From", from);
        form.put("Body", args.path("body").asText());
        JsonNode r = post("Messages.json", form, "sms", args);
        return ServiceHttp.JSON.createObjectNode().put("sid", r.path("sid").asText()).put("status", r.path("status").asText())
                .put("to", r.path("to").asText());
    }

    private JsonNode call(JsonNode args) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", args.path("to").asText());
        form.put("From", from);
        form.put("Twiml", "<Response><Say>" + xml(args.path("message").asText()) + "</Say></Response>");
        JsonNode r = post("Calls.json", form, "call", args);
        return ServiceHttp.JSON.createObjectNode().put("sid", r.path("sid").asText()).put("status", r.path("status").asText())
                .put("to", r.path("to").asText());
    }

    private JsonNode post(String resource, Map<String, String> form, String kind, JsonNode args) {
        return http.send(http.request(baseUrl + "/2010-04-01/Accounts/" + ServiceHttp.encode(accountSid) + "/" + resource)
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("I-Twilio-Idempotency-Token", Services.idempotencyKey(kind, args))
                .POST(ServiceHttp.form(form)).build());
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
