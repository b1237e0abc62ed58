package io.sigil.server.http;

import io.javalin.http.Context;

/**
 * The deployment guide's nginx header set (5.3), sent by the server itself so it is safe without the proxy:
 * {@code X-Frame-Options: SAMEORIGIN}, {@code X-Content-Type-Options: nosniff}, {@code Strict-Transport-Security}
 * (configurable, off with max-age 0). {@code X-XSS-Protection} is sent as {@code 0}: the guide's {@code 1;
 * mode=block} switches on the browsers' removed XSS auditor, which could itself be abused to leak data, so current
 * guidance (OWASP) is to disable it and rely on {@code Content-Security-Policy}, which for a JSON API is
 * {@code default-src 'none'}. {@code Referrer-Policy: no-referrer} and {@code Cache-Control: no-store} keep
 * responses out of referrers and caches.
 */
public final class SecurityHeaders {
    private final String hsts;

    public SecurityHeaders(long hstsMaxAgeSeconds) {
        this.hsts = hstsMaxAgeSeconds > 0 ? "max-age=" + hstsMaxAgeSeconds + "; includeSubDomains" : null;
    }

    public void apply(Context ctx) {
        ctx.header("X-Frame-Options", "SAMEORIGIN");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-XSS-Protection", "0");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'");
        ctx.header("Cache-Control", "no-store");
        if (hsts != null) ctx.header("Strict-Transport-Security", hsts);
    }
}
