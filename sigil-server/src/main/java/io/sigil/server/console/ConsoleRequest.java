package io.sigil.server.console;

import io.javalin.http.Context;
import io.sigil.auth.Principal;
import io.sigil.auth.Scope;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Problem;
import io.sigil.server.http.RequestContext;
import io.sigil.sessions.Caller;

/** One logged-in console request: the HTTP context, the caller and the login's CSRF token for forms. */
public record ConsoleRequest(Context ctx, Principal principal, String csrf) {

    /** The caller as sessions and memory see it (tenancy: a user reaches only its own data). */
    public Caller caller() { return RequestContext.caller(principal); }

    /** Refuses (403, naming the scope) a page the credential has no scope for. */
    public void require(Scope scope) {
        if (!principal.has(scope)) {
            throw new ApiProblem(Problem.of(403, "forbidden", "Forbidden",
                    "Your credential lacks the scope '" + scope.wire() + "' this page needs; log in with a key or"
                            + " token that holds it."));
        }
    }

    public String query(String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    public String form(String name) {
        String v = ctx.formParam(name);
        return v == null ? null : v;
    }

    /** The hidden form field every state-changing console form carries. */
    public String csrfField() {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + Html.escape(csrf) + "\">";
    }
}
