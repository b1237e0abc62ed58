package io.sigil.bench.http;

import io.javalin.Javalin;

/**
 * Baseline for the HTTP benchmark: Javalin 7 with virtual threads and one constant JSON endpoint, none of Sigil's
 * pipeline (no request ids, headers, auth, metrics, access log, health checks). {@code sigil serve}'s /health
 * measured against this shows what the pipeline costs. Run: {@code java -cp sigil-bench/target/benchmarks.jar
 * io.sigil.bench.http.BareJavalinHealth 8081}.
 */
public final class BareJavalinHealth {
    private BareJavalinHealth() { }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
        String body = "{\"status\":\"healthy\"}";
        Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.concurrency.useVirtualThreads = true;
            config.routes.get("/health", ctx -> ctx.contentType("application/json").result(body));
        }).start("127.0.0.1", port);
    }
}
