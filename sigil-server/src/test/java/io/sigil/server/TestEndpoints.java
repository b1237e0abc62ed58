package io.sigil.server;

import io.javalin.http.Context;
import io.sigil.auth.Scope;
import io.sigil.errors.NotFoundError;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.http.Json;
import io.sigil.server.http.PageRequest;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Endpoints that exist only in tests, written exactly as subsystem endpoints will be: they exercise body
 * validation, paging, scopes, unexpected failures and slow requests through the real pipeline.
 */
final class TestEndpoints {
    private TestEndpoints() { }

    static List<ApiEndpoint> all() {
        return all(new java.util.concurrent.Semaphore(0));
    }

    /** @param slowEntered released each time the slow endpoint starts handling a request */
    static List<ApiEndpoint> all(java.util.concurrent.Semaphore slowEntered) {
        return List.of(new Echo(), new Items(), new Boom(), new Slow(slowEntered), new Missing());
    }

    /** A request body with invariants, as handlers will declare them. */
    record Note(String text, int priority, List<String> tags) {
        Note {
            if (text == null || text.isBlank()) throw new IllegalArgumentException("text must not be blank");
            if (priority < 0 || priority > 5) throw new IllegalArgumentException("priority must be from 0 to 5");
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    static final class Echo implements ApiEndpoint {
        private final JsonBodies bodies = new JsonBodies(Json.requestMapper());

        @Override
        public Route route() {
            return Route.post("/test/notes", Route.Access.scope(Scope.MEMORY_WRITE), "test", "Echo a validated note");
        }

        @Override
        public void handle(Context ctx) {
            ctx.status(201).json(bodies.read(ctx, Note.class));
        }
    }

    static final class Items implements ApiEndpoint {
        private static final List<Integer> ITEMS = IntStream.range(0, 120).boxed().toList();

        @Override
        public Route route() {
            return Route.get("/test/items", Route.Access.scope(Scope.AGENTS_READ), "test", "A paged list");
        }

        @Override
        public void handle(Context ctx) {
            ctx.json(PageRequest.from(ctx, 100).slice(ITEMS));
        }
    }

    static final class Boom implements ApiEndpoint {
        @Override
        public Route route() {
            return Route.get("/test/boom", Route.Access.PUBLIC, "test", "Fails unexpectedly");
        }

        @Override
        public void handle(Context ctx) {
            throw new IllegalStateException("database password is hunter2");
        }
    }

    static final class Slow implements ApiEndpoint {
        private final java.util.concurrent.Semaphore entered;

        Slow(java.util.concurrent.Semaphore entered) {
            this.entered = entered;
        }

        @Override
        public Route route() {
            return Route.get("/test/slow", Route.Access.PUBLIC, "test", "Takes a while");
        }

        @Override
        public void handle(Context ctx) throws InterruptedException {
            entered.release();
            Thread.sleep(Long.parseLong(ctx.queryParam("ms") == null ? "1000" : ctx.queryParam("ms")));
            ctx.json(java.util.Map.of("done", true));
        }
    }

    static final class Missing implements ApiEndpoint {
        @Override
        public Route route() {
            return Route.get("/test/sessions/{session_id}", Route.Access.PUBLIC, "test", "Always not found");
        }

        @Override
        public void handle(Context ctx) {
            throw new NotFoundError("No session '" + ctx.pathParam("session_id") + "'.", "List sessions with GET /sessions.");
        }
    }
}
