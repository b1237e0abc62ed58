package io.sigil.services;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.config.Settings;
import io.sigil.errors.SigilError;
import io.sigil.health.HealthCheck;
import io.sigil.tools.Tool;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * The guide's five services as tools (guide 1.3 and 8.1): each is enabled by its key and otherwise reported as
 * disabled with the variable to set; nothing is contacted until a tool is called. Base URLs come from the
 * settings so tests (and proxies) can stand in for the vendors.
 */
public final class Services {

    /** One service: whether it is enabled, why not, and its tools (empty when disabled). */
    public record Service(String name, boolean enabled, String detail, List<Tool> tools) {
        public Service {
            tools = List.copyOf(tools);
        }
    }

    private final List<Service> services;

    private Services(List<Service> services) {
        this.services = List.copyOf(services);
    }

    public static Services fromSettings(Settings.Tools settings, Clock clock) {
        Settings.ServiceEndpoints e = settings.endpoints();
        Supplier<HttpClient> client = new SharedClient();
        Duration timeout = e.timeout();
        List<Service> all = new ArrayList<>();
        all.add(present(settings.tavilyApiKey())
                ? enabled("tavily", "web search via " + e.tavilyBaseUrl(),
                new TavilyService(new ServiceHttp("Tavily", client, timeout), e.tavilyBaseUrl(), settings.tavilyApiKey())
                        .tools(timeout))
                : disabled("tavily", "set TAVILY_API_KEY"));
        all.add(present(settings.elevenlabsApiKey())
                ? enabled("elevenlabs", "text to speech via " + e.elevenlabsBaseUrl() + ", audio in " + e.audioDir(),
                new ElevenLabsService(new ServiceHttp("ElevenLabs", client, timeout), e.elevenlabsBaseUrl(),
                        settings.elevenlabsApiKey(), e.elevenlabsVoiceId(), e.audioDir()).tools(timeout))
                : disabled("elevenlabs", "set ELEVENLABS_API_KEY"));
        all.add(twilio(settings, e, client, timeout));
        all.add(calendar(settings, e, client, timeout, clock));
        all.add(present(settings.hubspotApiKey())
                ? enabled("hubspot", "CRM via " + e.hubspotBaseUrl(),
                new HubSpotService(new ServiceHttp("HubSpot", client, timeout), e.hubspotBaseUrl(),
                        settings.hubspotApiKey()).tools(timeout))
                : disabled("hubspot", "set HUBSPOT_API_KEY"));
        return new Services(all);
    }

    public List<Service> all() { return services; }

    /** The tools of the enabled services. */
    public List<Tool> tools() {
        return services.stream().flatMap(s -> s.tools().stream()).toList();
    }

    /**
     * {@code services} in the health report: healthy in any case (a disabled service is the guide's fallback, not a
     * fault), the detail saying which are enabled and what to set for the others. No vendor is called.
     */
    public HealthCheck healthCheck() {
        return new HealthCheck() {
            @Override public String name() { return "services"; }
            @Override public boolean critical() { return false; }
            @Override public Result check() {
                List<String> parts = new ArrayList<>();
                for (Service s : services) parts.add(s.name() + ": " + (s.enabled() ? "enabled" : "disabled (" + s.detail() + ")"));
                return Result.healthy(String.join("; ", parts));
            }
        };
    }

    private static Service twilio(Settings.Tools s, Settings.ServiceEndpoints e, Supplier<HttpClient> client,
                                  Duration timeout) {
        if (!present(s.twilioAccountSid()) || !present(s.twilioAuthToken())) {
            return disabled("twilio", "set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN");
        }
        if (!present(e.twilioFromNumber())) return disabled("twilio", "set TWILIO_FROM_NUMBER (the number to send from)");
        return enabled("twilio", "SMS and calls from " + e.twilioFromNumber() + " via " + e.twilioBaseUrl(),
                new TwilioService(new ServiceHttp("Twilio", client, timeout), e.twilioBaseUrl(), s.twilioAccountSid(),
                        s.twilioAuthToken(), e.twilioFromNumber()).tools(timeout));
    }

    private static Service calendar(Settings.Tools s, Settings.ServiceEndpoints e, Supplier<HttpClient> client,
                                    Duration timeout, Clock clock) {
        if (!present(s.googleCalendarCredentials())) return disabled("google_calendar", "set GOOGLE_CALENDAR_CREDENTIALS");
        GoogleCredentials credentials;
        try {
            credentials = GoogleCredentials.parse(s.googleCalendarCredentials(), clock);
        } catch (SigilError bad) {
            return disabled("google_calendar", bad.getMessage());
        }
        return enabled("google_calendar", "calendar " + e.googleCalendarId() + " via " + e.googleCalendarBaseUrl(),
                new GoogleCalendarService(new ServiceHttp("Google Calendar", client, timeout), e.googleCalendarBaseUrl(),
                        credentials, e.googleCalendarId()).tools(timeout));
    }

    /**
     * The one HTTP client of all services, built on the first call: building it sets up TLS, a fifth of the CPU of
     * a short CLI run, which a run that calls no service (or has none enabled) should not pay.
     */
    private static final class SharedClient implements Supplier<HttpClient> {
        private HttpClient client;

        @Override
        public synchronized HttpClient get() {
            if (client == null) {
                client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                        .followRedirects(HttpClient.Redirect.NORMAL).build();
            }
            return client;
        }
    }

    private static Service enabled(String name, String detail, List<? extends Tool> tools) {
        return new Service(name, true, detail, List.copyOf(tools));
    }

    private static Service disabled(String name, String why) { return new Service(name, false, why, List.of()); }

    private static boolean present(String s) { return s != null && !s.isBlank(); }

    static String trimSlash(String url) { return url.endsWith("/") ? url.substring(0, url.length() - 1) : url; }

    /**
     * A key derived from what a write does, so the same write sent again is recognised by the vendor: 32 hex
     * characters (valid as a Twilio idempotency token and as a Google Calendar event id, base32hex).
     */
    static String idempotencyKey(String kind, JsonNode args) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((kind + "\n" + args.toString())
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
