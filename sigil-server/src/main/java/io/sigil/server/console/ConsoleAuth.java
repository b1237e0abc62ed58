package io.sigil.server.console;

import io.javalin.http.Context;
import io.sigil.auth.AuthenticationFailed;
import io.sigil.auth.Authenticator;
import io.sigil.auth.Principal;
import io.sigil.server.console.ConsoleLogins.Login;
import io.sigil.server.http.BrowserCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Optional;

/**
 * Who is using the console: the login cookie, re-authenticated on every request with the server's own
 * {@link Authenticator} (same keys, tokens, scopes and revocation as the API), and the same-origin rule for
 * anything that changes state (form posts and the run WebSocket).
 */
public final class ConsoleAuth implements BrowserCredentials {
    private static final Logger log = LoggerFactory.getLogger(ConsoleAuth.class);
    public static final String COOKIE = "sigil_console";

    private final Authenticator authenticator;
    private final ConsoleLogins logins;

    public ConsoleAuth(Authenticator authenticator, ConsoleLogins logins) {
        this.authenticator = authenticator;
        this.logins = logins;
    }

    /** A logged-in request: the login and the principal its credential establishes now. */
    public record Authed(Login login, Principal principal) { }

    public Optional<Authed> authenticate(Context ctx) {
        Optional<Login> login = logins.find(ctx.cookie(COOKIE));
        if (login.isEmpty()) return Optional.empty();
        try {
            Login l = login.get();
            return Optional.of(new Authed(l, authenticator.authenticate(l.authorization(), l.apiKey())));
        } catch (AuthenticationFailed e) {
            // Revoked key, expired token: the login ends with it.
            log.info("Console login ended: its credential no longer authenticates ({})", e.reason());
            logins.end(login.get().id());
            return Optional.empty();
        }
    }

    /**
     * Verifies a credential typed at the login form: a JWT (three dot-separated parts) is sent as a bearer token,
     * anything else as an API key.
     *
     * @throws AuthenticationFailed when it does not authenticate
     */
    public Authed login(String credential) throws AuthenticationFailed {
        String c = credential == null ? "" : credential.strip();
        Login.Kind kind = c.chars().filter(ch -> ch == '.').count() == 2 ? Login.Kind.BEARER : Login.Kind.API_KEY;
        Principal p = kind == Login.Kind.BEARER ? authenticator.authenticate("Bearer " + c, null)
                : authenticator.authenticate(null, c);
        return new Authed(logins.start(kind, c), p);
    }

    public void logout(Context ctx) {
        logins.end(ctx.cookie(COOKIE));
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + secure(ctx));
    }

    /** The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure on TLS. */
    public static void setCookie(Context ctx, Login login) {
        ctx.header("Set-Cookie", COOKIE + "=" + login.id() + "; Path=/; HttpOnly; SameSite=Strict" + secure(ctx));
    }

    private static String secure(Context ctx) {
        boolean tls = "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        return tls ? "; Secure" : "";
    }

    /**
     * True when the request's Origin (or, without one, its Referer) names this server's host: browsers send Origin
     * with every POST and WebSocket handshake, so a form or socket opened from another site is refused even if a
     * browser ignored SameSite. A request with neither header is not from a browser page and carries no ambient
     * cookie risk.
     */
    public static boolean sameOrigin(Context ctx) {
        String source = ctx.header("Origin");
        if (source == null || source.isEmpty()) source = ctx.header("Referer");
        if (source == null || source.isEmpty()) return true;
        return sameHost(source, ctx.header("Host"));
    }

    /**
     * True when the URL {@code source} (an Origin or Referer) names {@code host} (a Host header). A proxy that
     * forwards the host without its port ({@code proxy_set_header Host $host}) still matches on the name.
     */
    static boolean sameHost(String source, String host) {
        if (host == null || host.isEmpty()) return false;
        try {
            URI o = URI.create(source);
            URI h = URI.create("http://" + host);
            if (o.getHost() == null || h.getHost() == null || !o.getHost().equalsIgnoreCase(h.getHost())) return false;
            return h.getPort() == -1 || h.getPort() == port(o);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(URI u) {
        if (u.getPort() != -1) return u.getPort();
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** The WebSocket handshake: the login's credential, only from the console's own origin. */
    @Override
    public Optional<Credentials> of(Context ctx) {
        if (ctx.header("Origin") == null || !sameOrigin(ctx)) return Optional.empty();
        return logins.find(ctx.cookie(COOKIE)).map(l -> new Credentials(l.authorization(), l.apiKey()));
    }
}
