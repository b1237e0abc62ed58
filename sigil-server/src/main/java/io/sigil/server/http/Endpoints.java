package io.sigil.server.http;

import io.javalin.http.Context;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;

import java.util.List;

/**
 * The shapes most REST endpoints share, so an endpoint is its route plus what it does: answer JSON, answer one page
 * of a list, read a JSON body then answer, or act and answer 204. Answers are 200 unless the handler set another
 * status (201 for a creation); failures are thrown as usual ({@link ApiProblem}, {@link io.sigil.errors.SigilError}).
 */
public final class Endpoints {
    private Endpoints() { }

    /** What an endpoint answers, as JSON. */
    @FunctionalInterface
    public interface Reply {
        Object apply(Context ctx) throws Exception;
    }

    /** What an endpoint answers for a request body already read and validated. */
    @FunctionalInterface
    public interface BodyReply<B> {
        Object apply(Context ctx, B body) throws Exception;
    }

    /** The whole list a paged endpoint answers a page of; path and query parameters are checked here. */
    @FunctionalInterface
    public interface Items {
        List<?> apply(Context ctx) throws Exception;
    }

    /** What an endpoint answering 204 does. */
    @FunctionalInterface
    public interface Action {
        void run(Context ctx) throws Exception;
    }

    /** Answers with {@code reply}'s value as JSON. */
    public static ApiEndpoint json(Route route, Reply reply) {
        return new Handled(route, ctx -> ctx.json(reply.apply(ctx)));
    }

    /**
     * Answers one page ({@code limit}, {@code offset}, checked first: see {@link PageRequest}) of {@code items} as a
     * {@link PageRequest.Page}.
     */
    public static ApiEndpoint pagedList(Route route, int maxPage, Items items) {
        return new Handled(route, ctx -> {
            PageRequest page = PageRequest.from(ctx, maxPage);
            ctx.json(page.slice(items.apply(ctx)));
        });
    }

    /** Reads the body as {@code type} ({@link JsonBodies}: strict, every invalid field named), then answers. */
    public static <B> ApiEndpoint withBody(Route route, JsonBodies bodies, Class<B> type, BodyReply<B> reply) {
        return new Handled(route, ctx -> ctx.json(reply.apply(ctx, bodies.read(ctx, type))));
    }

    /** Does {@code action}, then answers 204 No Content. */
    public static ApiEndpoint noContent(Route route, Action action) {
        return new Handled(route, ctx -> {
            action.run(ctx);
            ctx.status(204);
        });
    }

    private record Handled(Route route, Action handler) implements ApiEndpoint {
        @Override
        public void handle(Context ctx) throws Exception { handler.run(ctx); }
    }
}
