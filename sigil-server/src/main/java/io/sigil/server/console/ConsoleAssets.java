package io.sigil.server.console;

import io.javalin.http.Context;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.ApiProblem;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The console's static files (stylesheet, scripts) from the classpath under {@code console/}; only the files listed
 * here are served, read once at start-up. Public: they hold no data.
 */
final class ConsoleAssets implements ApiEndpoint {
    private static final Map<String, String> TYPES = Map.of(
            "console.css", "text/css; charset=utf-8",
            "live.js", "text/javascript; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "approvals.js", "text/javascript; charset=utf-8",
            "icon.svg", "image/svg+xml");
    private final Map<String, byte[]> files;

    ConsoleAssets() {
        java.util.HashMap<String, byte[]> loaded = new java.util.HashMap<>();
        for (String name : TYPES.keySet()) {
            try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + name)) {
                if (in == null) throw new IllegalStateException("console asset missing from the build: console/" + name);
                loaded.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        files = Map.copyOf(loaded);
    }

    @Override
    public Route route() {
        return Route.get("/console/assets/{name}", Route.Access.PUBLIC, "console", "Console stylesheet and scripts")
                .produces("text/css");
    }

    @Override
    public void handle(Context ctx) {
        String name = ctx.pathParam("name");
        byte[] body = files.get(name);
        if (body == null) throw ApiProblem.notFound("No console asset '" + Html.escape(name) + "'.");
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(TYPES.get(name)).result(body);
    }
}
