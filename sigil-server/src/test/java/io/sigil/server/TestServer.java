package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.auth.ApiKeys;
import io.sigil.auth.FileApiKeyStore;
import io.sigil.auth.HmacKey;
import io.sigil.auth.JwtSigner;
import io.sigil.auth.Scope;
import io.sigil.config.Settings;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A real server on an ephemeral port with its own data directories, and an HTTP client for it. */
final class TestServer implements AutoCloseable {
    static final String SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
    static final ObjectMapper JSON = new ObjectMapper();

    final Settings settings;
    final ServerAssembly.Assembled assembled;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ApiKeys keys;
    final JwtSigner signer = new JwtSigner(HmacKey.of(SECRET), Clock.systemUTC());

    record Options(int rateLimitPerMinute, boolean debug, String issuer, String audience, List<String> cors,
                   long maxBodyBytes, Duration shutdownTimeout, String model) {
        Options(int rateLimitPerMinute, boolean debug, String issuer, String audience, List<String> cors,
                long maxBodyBytes, Duration shutdownTimeout) {
            this(rateLimitPerMinute, debug, issuer, audience, cors, maxBodyBytes, shutdownTimeout, "claude-sonnet-4-20250514");
        }

        static Options defaults() {
            return new Options(100_000, false, null, null, List.of("http://localhost:3000"), 4096, Duration.ofSeconds(5));
        }

        /** The offline test model as the server's model: runs, planning and memory extraction never leave the JVM. */
        Options testModel() {
            return new Options(rateLimitPerMinute, debug, issuer, audience, cors, 65_536, shutdownTimeout, "test");
        }

        Options rateLimit(int perMinute) {
            return new Options(perMinute, debug, issuer, audience, cors, maxBodyBytes, shutdownTimeout);
        }

        Options debugMode() {
            return new Options(rateLimitPerMinute, true, issuer, audience, cors, maxBodyBytes, shutdownTimeout);
        }

        Options issuerAudience(String iss, String aud) {
            return new Options(rateLimitPerMinute, debug, iss, aud, cors, maxBodyBytes, shutdownTimeout);
        }
    }

    TestServer(Path dir, Options o, List<ApiEndpoint> endpoints) {
        this(settings(dir, o), o, endpoints, List.of());
    }

    TestServer(Path dir, Options o, List<ApiEndpoint> endpoints, List<SocketEndpoint> sockets) {
        this(settings(dir, o), o, endpoints, sockets);
    }

    /** The whole API as {@code sigil serve} assembles it, on settings pointing into {@code dir}. */
    static TestServer full(Path dir, Options o) {
        return new TestServer(settings(dir, o), o, null, null);
    }

    private TestServer(Settings settings, Options o, List<ApiEndpoint> endpoints, List<SocketEndpoint> sockets) {
        this(settings, o, endpoints == null ? null : ServerComponents.of(endpoints, sockets));
    }

    /** The operational endpoints and {@code components} (null: the whole API as {@code sigil serve} opens it). */
    TestServer(Settings settings, Options o, ServerComponents components) {
        this.settings = settings;
        ServerOptions options = ServerOptions.DEFAULTS.withShutdownTimeout(o.shutdownTimeout());
        assembled = components == null
                ? ServerAssembly.assemble(settings, options, Clock.systemUTC())
                : ServerAssembly.assemble(settings, options, components, Clock.systemUTC());
        assembled.server().start("127.0.0.1", 0);
        keys = new ApiKeys(new FileApiKeyStore(settings.state().dataDir()), Clock.systemUTC());
    }

    static Settings settings(Path dir, Options o) {
        Settings d = Settings.defaults();
        return new Settings(Settings.Environment.TEST, o.debug(), d.features(),
                Settings.Llm.builder().provider("anthropic").model(o.model()).temperature(0.7).maxTokens(4096).maxRetries(3)
                        .anthropicApiKey("sk-ant-test-key-never-shown").build(),
                new Settings.Memory(dir.resolve("memory"), "all-minilm-l6-v2-q", null, 5, 0.7, 100, 100),
                new Settings.Contracts(d.contracts().defaultMaxRetries(), d.contracts().defaultStrategy(),
                        d.contracts().maxTotalTokens(), dir.resolve("contracts")),
                new Settings.State(dir.resolve("state"), 10_000, "file"),
                new Settings.Api("127.0.0.1", 0, 1, o.debug(), o.cors(), o.maxBodyBytes()),
                new Settings.Security(SECRET, "HS256", 60, o.issuer(), o.audience(), o.rateLimitPerMinute(), "flag"),
                d.logging(), d.telemetry(), d.routing(), new Settings.Agents(dir.resolve("agents")), d.tools(),
                new Settings.Services("postgres://sigil:hunter2@db:5432/sigil", null));
    }

    TestServer(Path dir) {
        this(dir, Options.defaults(), List.of());
    }

    SigilServer server() { return assembled.server(); }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server().port() + path);
    }

    String token(Scope... scopes) {
        return tokenFor("tester", scopes);
    }

    /** A JWT for {@code subject}: sessions and memory scopes belong to subjects. */
    String tokenFor(String subject, Scope... scopes) {
        return signer.mint(subject, Set.of(scopes), Duration.ofMinutes(5), settings.security().jwtIssuer(),
                settings.security().jwtAudience());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RuntimeException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        }
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = request(path).GET();
        if (headers.length > 0) b.headers(headers);
        return send(b.build());
    }

    HttpResponse<String> getWithBearer(String path, String token) {
        return get(path, "Authorization", "Bearer " + token);
    }

    HttpResponse<String> post(String path, String token, String jsonBody) {
        return send(request(path).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build());
    }

    HttpResponse<String> delete(String path, String token) {
        return send(request(path).header("Authorization", "Bearer " + token).DELETE().build());
    }

    /** What a command line run printed and returned. */
    record Cli(int exit, String out, String err) { }

    /** Runs the command line in-process with {@code env} as its environment. */
    static Cli cli(Map<String, String> env, Path dir, String... args) {
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        var cl = io.sigil.cli.SigilCommand.commandLine(env, dir);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    @Override
    public void close() {
        server().stop();
    }
}
