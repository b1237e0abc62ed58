package io.sigil.server.console;

import io.javalin.http.Context;
import io.sigil.errors.SigilError;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Problem;
import io.sigil.server.http.Problems;
import io.sigil.server.http.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * One console page or form handler. The route is public as far as the API guard goes: the console authenticates
 * its own login cookie (redirecting to the login form without one), checks CSRF and origin on every POST, sends a
 * strict Content-Security-Policy (own scripts and styles only, no other host) and renders failures as HTML pages
 * instead of problem documents.
 */
public final class ConsolePage implements ApiEndpoint {
    private static final Logger log = LoggerFactory.getLogger(ConsolePage.class);
    /** Same-origin scripts, styles and connections (the run WebSocket) only; nothing inline, nothing elsewhere. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** Renders a page for a logged-in request; returns the HTML, or null when it answered itself (a redirect). */
    @FunctionalInterface
    public interface Handler {
        String render(ConsoleRequest request) throws Exception;
    }

    private final Route route;
    private final ConsoleAuth auth;
    private final Handler handler;

    private ConsolePage(Route route, ConsoleAuth auth, Handler handler) {
        this.route = route;
        this.auth = auth;
        this.handler = handler;
    }

    public static ConsolePage get(String path, String summary, ConsoleAuth auth, Handler handler) {
        return new ConsolePage(Route.get(path, Route.Access.PUBLIC, "console", summary).produces("text/html"), auth, handler);
    }

    public static ConsolePage post(String path, String summary, ConsoleAuth auth, Handler handler) {
        return new ConsolePage(Route.post(path, Route.Access.PUBLIC, "console", summary).produces("text/html"), auth, handler);
    }

    @Override
    public Route route() { return route; }

    @Override
    public void handle(Context ctx) {
        headers(ctx);
        var authed = auth.authenticate(ctx);
        if (authed.isEmpty()) {
            if (route.method().equals("GET")) {
                String next = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
                ctx.redirect("/console/login?next=" + Html.query(next), io.javalin.http.HttpStatus.SEE_OTHER);
            } else {
                error(ctx, null, 401, "Not logged in", "Your console login has ended; log in again.");
            }
            return;
        }
        ConsoleRequest request = new ConsoleRequest(ctx, authed.get().principal(), authed.get().login().csrf());
        try {
            if (route.method().equals("POST")) checkForm(ctx, authed.get().login());
            String html = handler.render(request);
            if (html != null) ctx.contentType("text/html; charset=utf-8").result(html);
        } catch (ApiProblem p) {
            error(ctx, request, p.problem().status(), p.problem().title(), p.problem().detail());
        } catch (SigilError e) {
            Problem p = Problems.fromSigilError(e);
            error(ctx, request, p.status(), p.title(), p.detail());
        } catch (Exception e) {
            log.error("Console page {} failed (request {})", ctx.path(), RequestContext.requestId(ctx), e);
            error(ctx, request, 500, "Internal server error", "The page could not be rendered; quote request id "
                    + RequestContext.requestId(ctx) + " when reporting it.");
        }
    }

    /** A form post must come from the console itself: same origin, and the login's CSRF token. */
    private static void checkForm(Context ctx, ConsoleLogins.Login login) {
        if (!ConsoleAuth.sameOrigin(ctx) || !ConsoleLogins.csrfMatches(login, ctx.formParam("csrf"))) {
            throw new ApiProblem(Problem.of(403, "forbidden", "Forbidden",
                    "This form was not sent from this console page (missing or stale CSRF token); reload the page"
                            + " and submit it again."));
        }
    }

    static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Frame-Options", "DENY");
        // With no-referrer (the API's policy) browsers send "Origin: null" on form posts; same-origin keeps the
        // Origin header the CSRF check reads, and still sends nothing to other sites.
        ctx.header("Referrer-Policy", "same-origin");
    }

    /** An error as a console page, kept as written (not rewritten into a problem document). */
    static void error(Context ctx, ConsoleRequest request, int status, String title, String detail) {
        Html body = new Html().raw("<div class=\"error\" role=\"alert\"><h1>").text(status + " " + title)
                .raw("</h1><p>").text(detail).raw("</p></div>");
        if (request == null) body.raw("<p><a href=\"/console/login\">Log in</a></p>");
        Problems.keepBody(ctx);
        ctx.status(status).contentType("text/html; charset=utf-8")
                .result(request == null ? Layout.bare(title, body.toString()) : Layout.page(request, title, "", body.toString()));
    }

}
