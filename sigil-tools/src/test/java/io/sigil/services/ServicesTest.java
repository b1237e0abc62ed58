package io.sigil.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.config.Settings;
import io.sigil.fakes.FakeServices;
import io.sigil.fakes.FakeServices.Vendor;
import io.sigil.fakes.RecordedRequest;
import io.sigil.llm.ToolCall;
import io.sigil.tools.Tool;
import io.sigil.tools.ToolExecutor;
import io.sigil.tools.ToolRegistry;
import io.sigil.tools.ToolResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;


import static org.assertj.core.api.Assertions.assertThat;

/** Each service against a wire-level fake of its vendor's HTTP API: request shapes, auth, errors and 429s. */
class ServicesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    private FakeServices fake;
    private ToolExecutor executor;
    private Services services;
    private java.security.KeyPair google;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeServices();
        var gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        google = gen.generateKeyPair();
        Path key = dir.resolve("service-account.json");
        Files.writeString(key, JSON.createObjectNode().put("type", "service_account")
                .put("client_email", "sigil@project.iam.gserviceaccount.com")
                .put("private_key", "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder().encodeToString(google.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n")
                .put("token_uri", fake.googleTokenUri()).toString());
        services = Services.fromSettings(settings(FakeServices.TAVILY_KEY, FakeServices.ELEVENLABS_KEY,
                FakeServices.TWILIO_TOKEN, key.toString(), FakeServices.HUBSPOT_KEY), Clock.systemUTC());
        ToolRegistry registry = new ToolRegistry();
        services.tools().forEach(registry::register);
        executor = new ToolExecutor(registry);
    }

    @AfterEach
    void stop() { fake.close(); }

    private Settings.Tools settings(String tavily, String eleven, String twilioToken, String google, String hubspot) {
        return new Settings.Tools(tavily, eleven, FakeServices.TWILIO_SID, twilioToken, google, hubspot,
                new Settings.ServiceEndpoints(fake.baseUrl(Vendor.TAVILY), fake.baseUrl(Vendor.ELEVENLABS), "voice123",
                        fake.baseUrl(Vendor.TWILIO), "+15005550006", fake.baseUrl(Vendor.GOOGLE), "primary",
                        fake.baseUrl(Vendor.HUBSPOT), dir.resolve("audio"), Duration.ofSeconds(10)),
                Settings.Mcp.DEFAULTS);
    }

    @Test
    void withoutKeysEveryServiceIsDisabledAndSaysWhatToSet() {
        Services none = Services.fromSettings(Settings.Tools.DEFAULTS, Clock.systemUTC());
        assertThat(none.tools()).isEmpty();
        assertThat(none.all()).extracting(Services.Service::name)
                .containsExactly("tavily", "elevenlabs", "twilio", "google_calendar", "hubspot");
        assertThat(none.all()).allSatisfy(s -> assertThat(s.enabled()).isFalse());
        assertThat(none.healthCheck().check().detail()).contains("tavily: disabled (set TAVILY_API_KEY)")
                .contains("twilio: disabled (set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)");
    }

    @Test
    void sideEffectToolsAreMarked() {
        assertThat(services.tools().stream().filter(Tool::sideEffects).map(Tool::name)).containsExactlyInAnyOrder(
                "sms_send", "phone_call", "calendar_create_event", "crm_create_contact", "crm_update_contact",
                "crm_create_deal", "crm_update_deal");
        assertThat(services.tools()).allSatisfy(t -> assertThat(t.source()).startsWith("service:"));
    }

    @Test
    void tavilySearchSendsTheDocumentedRequestAndTrimsTheAnswer() throws Exception {
        JsonNode out = ok("web_search", "{\"query\": \"MCP Java SDK\", \"max_results\": 2}");
        assertThat(out.path("answer").asText()).contains("MCP Java SDK");
        assertThat(out.path("results")).hasSize(2);
        assertThat(out.path("results").get(0).path("url").asText()).isEqualTo("https://example.com/1");
        RecordedRequest r = fake.requests(Vendor.TAVILY).getLast();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/search");
        assertThat(r.header("authorization")).isEqualTo("Bearer " + FakeServices.TAVILY_KEY);
        assertThat(r.json().path("query").asText()).isEqualTo("MCP Java SDK");
        assertThat(r.json().path("max_results").asInt()).isEqualTo(2);

        JsonNode extract = ok("web_extract", "{\"urls\": [\"https://a.example\", \"https://unreachable.example\"]}");
        assertThat(extract.path("results").get(0).path("content").asText()).isEqualTo("Text of https://a.example");
        assertThat(extract.path("failed").get(0).path("url").asText()).isEqualTo("https://unreachable.example");
    }

    @Test
    void rateLimitsAndErrorsComeBackAsToolErrorsWithTheVendorsMessage() throws Exception {
        fake.failNext(Vendor.TAVILY, 429, "{\"detail\": {\"error\": \"Rate limit exceeded\"}}", "17");
        ToolResult limited = call("web_search", "{\"query\": \"x\"}");
        assertThat(limited.isError()).isTrue();
        assertThat(limited.output()).contains("Tavily rate limit reached (HTTP 429): Rate limit exceeded; retry after 17 s");

        fake.failNext(Vendor.HUBSPOT, 400, "{\"status\": \"error\", \"message\": \"Property values were not valid\","
                + " \"category\": \"VALIDATION_ERROR\"}", null);
        ToolResult invalid = call("crm_create_contact", "{\"properties\": {\"email\": \"not-an-email\"}}");
        assertThat(invalid.output()).contains("HubSpot answered HTTP 400: Property values were not valid");

        fake.failNext(Vendor.TWILIO, 429, "{\"code\": 20429, \"message\": \"Too Many Requests\", \"status\": 429}", null);
        assertThat(call("sms_send", "{\"to\": \"+14155550123\", \"body\": \"hi\"}").output())
                .contains("Twilio rate limit reached (HTTP 429): Too Many Requests");
        assertThat(fake.requests(Vendor.TWILIO)).hasSize(1); // a write is never retried
    }

    @Test
    void wrongCredentialsAreReportedAsSuch() throws Exception {
        Services bad = Services.fromSettings(settings("tvly-wrong", null, null, null, null), Clock.systemUTC());
        ToolResult r = new ToolExecutor(ToolRegistry.of(bad.tools().toArray(Tool[]::new)))
                .execute(new ToolCall("c", "web_search", JSON.readTree("{\"query\": \"x\"}")));
        assertThat(r.output()).contains("Tavily refused the credentials (HTTP 401): Unauthorized: missing or invalid API key.");
    }

    @Test
    void elevenLabsAudioIsStoredAsAFileWithItsDuration() throws Exception {
        JsonNode out = ok("text_to_speech", "{\"text\": \"Hello there\"}");
        Path file = Path.of(out.path("path").asText());
        assertThat(file).startsWith(dir.resolve("audio"));
        assertThat(Files.readAllBytes(file)).isEqualTo(FakeServices.AUDIO);
        assertThat(out.path("duration_seconds").asDouble()).isEqualTo(0.55); // 11 characters of 50 ms
        RecordedRequest r = fake.requests(Vendor.ELEVENLABS).getLast();
        assertThat(r.path()).isEqualTo("/v1/text-to-speech/voice123/with-timestamps?output_format=mp3_44100_128");
        assertThat(r.header("xi-api-key")).isEqualTo(FakeServices.ELEVENLABS_KEY);
        assertThat(r.json().path("model_id").asText()).isEqualTo("eleven_multilingual_v2");
    }

    @Test
    void twilioSendsFormsWithBasicAuthAndAnIdempotencyToken() throws Exception {
        JsonNode sms = ok("sms_send", "{\"to\": \"+14155550123\", \"body\": \"Your meeting is at 10:00\"}");
        assertThat(sms.path("sid").asText()).startsWith("SM");
        RecordedRequest r = fake.requests(Vendor.TWILIO).getLast();
        assertThat(r.path()).isEqualTo("/2010-04-01/Accounts/" + FakeServices.TWILIO_SID + "/Messages.json");
        assertThat(r.header("content-type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(FakeServices.formOf(r)).containsEntry("To", "+14155550123").containsEntry("From", "+15005550006")
                .containsEntry("Body", "Your meeting is at 10:00");
        String token = r.header("i-twilio-idempotency-token");
        assertThat(token).hasSize(32);
        ok("sms_send", "{\"to\": \"+14155550123\", \"body\": \"Your meeting is at 10:00\"}");
        assertThat(fake.requests(Vendor.TWILIO).getLast().header("i-twilio-idempotency-token")).isEqualTo(token);

        JsonNode call = ok("phone_call", "{\"to\": \"+14155550123\", \"message\": \"Reminder <today>\"}");
        assertThat(call.path("sid").asText()).startsWith("CA");
        assertThat(FakeServices.formOf(fake.requests(Vendor.TWILIO).getLast()))
                .containsEntry("Twiml", "<Response><Say>Reminder &lt;today&gt;</Say></Response>");
        assertThat(call("sms_send", "{\"to\": \"0415\", \"body\": \"x\"}").output()).contains("invalid arguments");
    }

    @Test
    void googleCalendarSignsAServiceAccountJwtAndUsesTheToken() throws Exception {
        JsonNode busy = ok("calendar_free_busy", "{\"time_min\": \"2026-03-02T00:00:00Z\", \"time_max\": \"2026-03-03T00:00:00Z\"}");
        assertThat(busy.path("busy").get(0).path("start").asText()).isEqualTo("2026-03-02T10:00:00Z");
        List<RecordedRequest> requests = fake.requests(Vendor.GOOGLE);
        RecordedRequest token = requests.get(0);
        assertThat(token.path()).isEqualTo("/token");
        String[] jwt = FakeServices.formOf(token).get("assertion").split("\\.");
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(google.getPublic());
        rsa.update((jwt[0] + "." + jwt[1]).getBytes());
        assertThat(rsa.verify(Base64.getUrlDecoder().decode(jwt[2]))).isTrue();
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertThat(claims.path("iss").asText()).isEqualTo("sigil@project.iam.gserviceaccount.com");
        assertThat(claims.path("scope").asText()).isEqualTo("https://www.googleapis.com/auth/calendar");
        assertThat(claims.path("aud").asText()).isEqualTo(fake.googleTokenUri());
        RecordedRequest freeBusy = requests.get(1);
        assertThat(freeBusy.path()).isEqualTo("/calendar/v3/freeBusy");
        assertThat(freeBusy.header("authorization")).isEqualTo("Bearer " + FakeServices.GOOGLE_TOKEN);
        assertThat(freeBusy.json().path("items").get(0).path("id").asText()).isEqualTo("primary");

        JsonNode events = ok("calendar_list_events", "{\"time_min\": \"2026-03-02T00:00:00Z\", \"time_max\": \"2026-03-03T00:00:00Z\"}");
        assertThat(events.path("events").get(0).path("summary").asText()).isEqualTo("Standup");
        assertThat(fake.requests(Vendor.GOOGLE).getLast().path()).startsWith("/calendar/v3/calendars/primary/events?singleEvents=true")
                .contains("timeMin=2026-03-02T00%3A00%3A00Z");

        JsonNode created = ok("calendar_create_event", "{\"summary\": \"Demo with ACME\", \"start\": \"2026-03-04T10:00:00Z\","
                + " \"end\": \"2026-03-04T10:30:00Z\", \"attendees\": [\"jane@acme.example\"]}");
        RecordedRequest create = fake.requests(Vendor.GOOGLE).getLast();
        assertThat(create.path()).isEqualTo("/calendar/v3/calendars/primary/events?sendUpdates=all");
        assertThat(create.json().path("id").asText()).matches("[0-9a-f]{32}").isEqualTo(created.path("id").asText());
        assertThat(create.json().path("attendees").get(0).path("email").asText()).isEqualTo("jane@acme.example");
        long tokenRequests = fake.requests(Vendor.GOOGLE).stream().filter(r -> r.path().equals("/token")).count();
        assertThat(tokenRequests).isEqualTo(1); // the token is reused until it expires
    }

    @Test
    void hubSpotSearchesCreatesAndUpdatesContactsAndDeals() throws Exception {
        JsonNode found = ok("crm_search_contacts", "{\"query\": \"acme\"}");
        assertThat(found.path("results").get(0).path("properties").path("email").asText()).isEqualTo("jane@acme.example");
        RecordedRequest search = fake.requests(Vendor.HUBSPOT).getLast();
        assertThat(search.path()).isEqualTo("/crm/v3/objects/contacts/search");
        assertThat(search.header("authorization")).isEqualTo("Bearer " + FakeServices.HUBSPOT_KEY);
        assertThat(search.json().path("query").asText()).isEqualTo("acme");

        JsonNode deal = ok("crm_create_deal", "{\"properties\": {\"dealname\": \"ACME\", \"amount\": 50000}}");
        assertThat(deal.path("properties").path("dealname").asText()).isEqualTo("ACME");
        assertThat(fake.requests(Vendor.HUBSPOT).getLast().path()).isEqualTo("/crm/v3/objects/deals");

        ok("crm_update_contact", "{\"id\": \"101\", \"properties\": {\"lifecyclestage\": \"opportunity\"}}");
        RecordedRequest update = fake.requests(Vendor.HUBSPOT).getLast();
        assertThat(update.method()).isEqualTo("PATCH");
        assertThat(update.path()).isEqualTo("/crm/v3/objects/contacts/101");
    }

    private JsonNode ok(String tool, String args) throws Exception {
        ToolResult r = call(tool, args);
        assertThat(r.isError()).as(r.output()).isFalse();
        return JSON.readTree(r.output());
    }

    private ToolResult call(String tool, String args) throws Exception {
        return executor.execute(new ToolCall("c", tool, JSON.readTree(args)));
    }

}
