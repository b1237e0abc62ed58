package io.sigil.server;

import io.sigil.auth.Scope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The operator console over real HTTP against the whole server: login and logout, the cookie's attributes, CSRF and
 * origin checks, tenancy on every page, escaping of hostile session content, the CSP, clear error pages, and the
 * login cookie opening the run WebSocket only from the console's own origin.
 */
class ConsoleHttpTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static String aliceKey;
    static String bobKey;
    static String adminKey;

    @BeforeAll
    static void start() {
        TestServer.Options o = TestServer.Options.defaults().testModel();
        ConsoleFixture.seed(dir, o);
        server = TestServer.full(dir, o);
        aliceKey = ConsoleFixture.apiKey(server, "alice", ConsoleFixture.USER);
        bobKey = ConsoleFixture.apiKey(server, "bob", ConsoleFixture.USER);
        adminKey = ConsoleFixture.apiKey(server, "root", Scope.ADMIN);
    }

    @AfterAll
    static void stop() { server.close(); }

    String origin() { return "http://127.0.0.1:" + server.server().port(); }

    HttpResponse<String> login(String credential, String next) {
        String form = "credential=" + enc(credential) + (next == null ? "" : "&next=" + enc(next));
        return server.send(server.request("/console/login").header("Origin", origin())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    String cookie(String credential) {
        HttpResponse<String> r = login(credential, "/console");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String set = r.headers().firstValue("Set-Cookie").orElseThrow();
        return set.substring(0, set.indexOf(';'));
    }

    HttpResponse<String> page(String path, String cookie) {
        return server.send(server.request(path).header("Cookie", cookie).GET().build());
    }

    HttpResponse<String> post(String path, String cookie, String form, String origin) {
        HttpRequest.Builder b = server.request(path).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (origin != null) b.header("Origin", origin);
        return server.send(b.build());
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a CSRF field in the page").isTrue();
        return m.group(1);
    }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @Test
    void loginSetsAnHttpOnlyStrictCookieAndKeepsTheCredentialOnTheServer() {
        HttpResponse<String> r = login(aliceKey, "/console/sessions/" + ConsoleFixture.ALICE_SESSION);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/console/sessions/" + ConsoleFixture.ALICE_SESSION);
        String set = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(set).startsWith("sigil_console=").contains("HttpOnly", "SameSite=Strict", "Path=/")
                .doesNotContain(aliceKey);
    }

    @Test
    void withoutALoginPagesRedirectToTheLoginFormAndBadCredentialsAreRefusedClearly() {
        HttpResponse<String> r = server.get("/console/memory?q=x");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/console/login?next=" + enc("/console/memory?q=x"));
        HttpResponse<String> bad = login("sgk_not-a-real-key", null);
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(bad.body()).contains("was not accepted").doesNotContain("Exception");
        assertThat(bad.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(login("", null).statusCode()).isEqualTo(400);
        // A login posted from another site is refused (login CSRF).
        HttpResponse<String> foreign = server.send(server.request("/console/login").header("Origin", "https://evil.example")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("credential=" + enc(aliceKey))).build());
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void theLoginNeverRedirectsOffTheConsole() {
        for (String next : new String[] {"https://evil.example/", "//evil.example/x", "/\\evil.example", "/api/../x"}) {
            HttpResponse<String> r = login(aliceKey, next);
            assertThat(r.headers().firstValue("Location")).as(next).hasValue("/console");
        }
    }

    @Test
    void aUserSeesOnlyItsOwnSessionsAndAnotherUsersTimelineIsNotFound() {
        String alice = cookie(aliceKey);
        HttpResponse<String> list = page("/console", alice);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains(ConsoleFixture.ALICE_SESSION).doesNotContain(ConsoleFixture.BOB_SESSION);
        HttpResponse<String> bobs = page("/console/sessions/" + ConsoleFixture.BOB_SESSION, alice);
        assertThat(bobs.statusCode()).isEqualTo(404);
        assertThat(bobs.body()).doesNotContain("private question");
        assertThat(page("/console/sessions/no-such-session", alice).statusCode()).isEqualTo(404);
        assertThat(page("/console/sessions/" + enc("../etc"), alice).statusCode()).isIn(400, 404);
        // Bob sees his own; the administrator sees both.
        assertThat(page("/console", cookie(bobKey)).body()).contains(ConsoleFixture.BOB_SESSION)
                .doesNotContain(ConsoleFixture.ALICE_SESSION);
        assertThat(page("/console", cookie(adminKey)).body()).contains(ConsoleFixture.BOB_SESSION, ConsoleFixture.ALICE_SESSION);
    }

    @Test
    void theTimelineShowsEveryKindOfStepWithHostileContentEscaped() {
        HttpResponse<String> r = page("/console/sessions/" + ConsoleFixture.ALICE_SESSION, cookie(aliceKey));
        assertThat(r.statusCode()).isEqualTo(200);
        String html = r.body();
        assertThat(html).contains("1200 in / 300 out tokens", "850 ms", "web_search", "42 ms", "bant.budget",
                "Plan <code>p-1</code>", "react", "approval.requested", "failed validation");
        // Not one hostile tag or attribute survives as markup.
        assertThat(html).doesNotContain("<script>window", "<img src=x", "<svg onload", "onerror=\"window");
        assertThat(html).contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;", "&quot;&gt;&lt;svg onload=alert(1)&gt;&#39;");
        // The only scripts are the console's own files; the CSP forbids inline ones anyway.
        assertThat(html.split("<script", -1).length - 1).isEqualTo(Pattern.compile("<script src=\"/console/assets/")
                .matcher(html).results().count());
        assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        // Filtered by type.
        String tools = page("/console/sessions/" + ConsoleFixture.ALICE_SESSION + "?type=tool.called", cookie(aliceKey)).body();
        assertThat(tools).contains("web_search").doesNotContain("claude-test");
    }

    @Test
    void formsNeedTheLoginsCsrfTokenAndTheConsolesOrigin() {
        String alice = cookie(aliceKey);
        String token = csrf(page("/console/contracts", alice).body());
        String form = "output=" + enc("{\"x\": 1}");
        assertThat(post("/console/contracts/lead_qualification/validate", alice, form, origin()).statusCode()).isEqualTo(403);
        assertThat(post("/console/contracts/lead_qualification/validate", alice, form + "&csrf=wrong", origin()).statusCode())
                .isEqualTo(403);
        assertThat(post("/console/contracts/lead_qualification/validate", alice, form + "&csrf=" + token,
                "https://evil.example").statusCode()).isEqualTo(403);
        HttpResponse<String> ok = post("/console/contracts/lead_qualification/validate", alice, form + "&csrf=" + token, origin());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).contains("Invalid:", "<code>");
        // An empty field is a clear 400 page, not a stack trace.
        HttpResponse<String> empty = post("/console/agents/validate", alice, "definition=&csrf=" + token, origin());
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("is empty").doesNotContain("Exception");
    }

    @Test
    void agentDefinitionsAreValidatedWithoutBeingSaved() {
        String alice = cookie(aliceKey);
        String token = csrf(page("/console/agents", alice).body());
        HttpResponse<String> bad = post("/console/agents/validate", alice, "csrf=" + token + "&definition="
                + enc("name: Bad Name\ndescription: x\n"), origin());
        assertThat(bad.statusCode()).isEqualTo(200);
        assertThat(bad.body()).contains("role=\"alert\"", "name");
        HttpResponse<String> good = post("/console/agents/validate", alice, "csrf=" + token + "&definition="
                + enc("name: console_probe\ndescription: A probe\nsystem_prompt: You probe.\n"), origin());
        assertThat(good.body()).contains("Valid: agent <code>console_probe</code>");
        assertThat(page("/console/agents/console_probe", alice).statusCode()).isEqualTo(404);
        assertThat(page("/console/agents/lead_qualifier", alice).body()).contains("system_prompt");
    }

    @Test
    void pagesNeedTheirScopesAndMetricsAreForAdministrators() {
        String reader = cookie(ConsoleFixture.apiKey(server, "carol", Scope.SESSIONS_READ));
        HttpResponse<String> memory = page("/console/memory", reader);
        assertThat(memory.statusCode()).isEqualTo(403);
        assertThat(memory.body()).contains("memory:read");
        HttpResponse<String> health = page("/console/health", reader);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("event_store").contains("shown to administrators").doesNotContain("sigil.requests");
        assertThat(page("/console/health", cookie(adminKey)).body()).contains("sigil.requests", "jvm.memory.used");
    }

    @Test
    void memoryIsSearchedAndBrowsedInScopesTheCallerMayRead() {
        String alice = cookie(aliceKey);
        String token = server.tokenFor("alice", Scope.MEMORY_WRITE);
        // The first memory write may load the embedding model: a longer deadline than the client's default.
        HttpResponse<String> stored = server.send(server.request("/memory").timeout(java.time.Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"content\": \"Alice prefers tulips <b>bold</b>\", \"category\": \"preferences\"}")).build());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        HttpResponse<String> search = page("/console/memory?q=" + enc("tulips"), alice);
        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(search.body()).contains("Alice prefers tulips &lt;b&gt;bold&lt;/b&gt;", "preferences");
        assertThat(page("/console/memory?scope=user:alice&category=preferences", alice).body()).contains("Alice prefers tulips");
        HttpResponse<String> other = page("/console/memory?scope=user:bob", alice);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).contains("belongs to another user");
        assertThat(page("/console/memory?scope=" + enc("not a scope!"), alice).statusCode()).isEqualTo(400);
    }

    @Test
    void pendingApprovalsAreListedForTheSessionOwnerOnly() {
        String html = page("/console/approvals", cookie(aliceKey)).body();
        assertThat(html).contains("send_sms", "call_01", "req-1", "side effects", "+15550100", "data-run=\"req-1\"")
                .doesNotContain("<img src=x");
        assertThat(page("/console/approvals", cookie(bobKey)).body()).doesNotContain("send_sms")
                .contains("No tool call is waiting");
    }

    @Test
    void logoutEndsTheLoginAndARevokedKeyEndsItAtOnce() {
        String alice = cookie(aliceKey);
        String token = csrf(page("/console", alice).body());
        assertThat(post("/console/logout", alice, "csrf=" + token, origin()).statusCode()).isEqualTo(303);
        assertThat(page("/console", alice).statusCode()).isEqualTo(303);

        var created = server.keys.create("dave", java.util.Set.of(ConsoleFixture.USER), 100_000, null);
        String dave = cookie(created.plaintext());
        assertThat(page("/console", dave).statusCode()).isEqualTo(200);
        assertThat(server.keys.store().revoke(created.key().id(), java.time.Instant.now())).isTrue();
        assertThat(page("/console", dave).statusCode()).isEqualTo(303);
    }

    @Test
    void theLoginCookieOpensTheRunWebSocketOnlyFromTheConsolesOrigin() throws Exception {
        String alice = cookie(aliceKey);
        URI ws = URI.create("ws://127.0.0.1:" + server.server().port() + "/ws/agents/lead_qualifier/run");
        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket socket = server.http.newWebSocketBuilder().header("Cookie", alice).header("Origin", origin())
                .buildAsync(ws, new WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        messages.add(data.toString());
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        assertThat(messages.poll(10, TimeUnit.SECONDS)).contains("connection_ready");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        // Another site's page cannot ride the cookie (cross-site WebSocket hijacking), nor can a client without one.
        for (String origin : new String[] {"https://evil.example", null}) {
            WebSocket.Builder b = server.http.newWebSocketBuilder().header("Cookie", alice);
            if (origin != null) b.header("Origin", origin);
            assertThatThrownBy(() -> b.buildAsync(ws, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        }
    }
}
