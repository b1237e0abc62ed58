package io.sigil.server.console;

import io.javalin.http.Context;
import io.sigil.auth.AuthenticationFailed;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;

import java.util.List;

/**
 * The login form (an API key or a JWT, kept server-side; the browser gets an HttpOnly cookie) and logout. A failed
 * login says only that the credential was not accepted, like the API's 401; the route is rate limited per client
 * address like every public route, so guessing is throttled.
 */
final class LoginEndpoints {
    private LoginEndpoints() { }

    static List<ApiEndpoint> all(ConsoleAuth auth) {
        return List.of(
                endpoint(Route.get("/console/login", Route.Access.PUBLIC, "console", "Console login form"),
                        ctx -> form(ctx, null, 200)),
                endpoint(Route.post("/console/login", Route.Access.PUBLIC, "console", "Console login (form post)"),
                        ctx -> login(auth, ctx)),
                endpoint(Route.post("/console/logout", Route.Access.PUBLIC, "console", "Console logout (form post)"),
                        ctx -> {
                            var authed = auth.authenticate(ctx);
                            if (authed.isPresent() && ConsoleAuth.sameOrigin(ctx)
                                    && ConsoleLogins.csrfMatches(authed.get().login(), ctx.formParam("csrf"))) {
                                auth.logout(ctx);
                            }
                            ctx.redirect("/console/login", io.javalin.http.HttpStatus.SEE_OTHER);
                        }));
    }

    private static void login(ConsoleAuth auth, Context ctx) {
        if (!ConsoleAuth.sameOrigin(ctx)) {
            form(ctx, "This login form was sent from another site; open the console at this server's address.", 403);
            return;
        }
        String credential = ctx.formParam("credential");
        if (credential == null || credential.isBlank()) {
            form(ctx, "Enter an API key or a token.", 400);
            return;
        }
        try {
            ConsoleAuth.Authed authed = auth.login(credential);
            ConsoleAuth.setCookie(ctx, authed.login());
            ctx.redirect(safeNext(ctx.formParam("next")), io.javalin.http.HttpStatus.SEE_OTHER);
        } catch (AuthenticationFailed e) {
            form(ctx, "That key or token was not accepted (unknown, revoked or expired). Create one with"
                    + " 'sigil keys create' or 'sigil token create'.", 401);
        }
    }

    /** Only a console path: never an absolute URL or a protocol-relative one (open redirect). */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/console") || next.startsWith("//") || next.contains("\\")
                || next.startsWith("/console/login") || next.chars().anyMatch(c -> c < 0x20)) {
            return "/console";
        }
        return next;
    }

    private static void form(Context ctx, String error, int status) {
        ConsolePage.headers(ctx);
        String next = safeNext(ctx.formParam("next") != null ? ctx.formParam("next") : ctx.queryParam("next"));
        Html h = new Html().raw("<h1>Sigil console</h1><p>Log in with an API key or a token (JWT). It stays on the")
                .raw(" server; your browser keeps only a session cookie.</p>");
        if (error != null) h.raw("<p class=\"error\" role=\"alert\" id=\"login-error\">").text(error).raw("</p>");
        h.raw("<form method=\"post\" action=\"/console/login\" class=\"stack\">")
                .raw("<input type=\"hidden\" name=\"next\" value=\"").text(next).raw("\">")
                .raw("<label for=\"credential\">API key or token</label>")
                .raw("<input id=\"credential\" name=\"credential\" type=\"password\" autocomplete=\"current-password\" required")
                .raw(error != null ? " aria-describedby=\"login-error\" aria-invalid=\"true\"" : "").raw(" autofocus>")
                .raw("<button type=\"submit\">Log in</button></form>");
        io.sigil.server.http.Problems.keepBody(ctx);
        ctx.status(status).contentType("text/html; charset=utf-8").result(Layout.bare("Log in", h.toString()));
    }

    private static ApiEndpoint endpoint(Route route, io.sigil.server.http.Endpoints.Action action) {
        return new ApiEndpoint() {
            @Override
            public Route route() { return route.produces("text/html"); }

            @Override
            public void handle(Context ctx) throws Exception { action.run(ctx); }
        };
    }
}
