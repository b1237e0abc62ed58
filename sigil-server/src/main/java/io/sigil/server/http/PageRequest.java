package io.sigil.server.http;

import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code limit} and {@code offset} query parameters of a list endpoint, validated: {@code limit} from 1 to the
 * server's maximum (default 50), {@code offset} from 0. Out-of-range or non-numeric values are a 400 naming the
 * parameter, never silently clamped.
 */
public record PageRequest(int limit, long offset) {
    public static final int DEFAULT_LIMIT = 50;

    public static PageRequest from(Context ctx, int maxLimit) {
        List<Problem.InvalidParam> invalid = new ArrayList<>();
        int limit = (int) parse(ctx.queryParam("limit"), "limit", DEFAULT_LIMIT > maxLimit ? maxLimit : DEFAULT_LIMIT,
                1, maxLimit, invalid);
        long offset = parse(ctx.queryParam("offset"), "offset", 0, 0, Long.MAX_VALUE / 2, invalid);
        if (!invalid.isEmpty()) throw ApiProblem.badRequest("Invalid paging parameters.", invalid);
        return new PageRequest(limit, offset);
    }

    private static long parse(String raw, String name, long dflt, long min, long max, List<Problem.InvalidParam> invalid) {
        if (raw == null || raw.isEmpty()) return dflt;
        try {
            long v = Long.parseLong(raw);
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        invalid.add(new Problem.InvalidParam(name, "must be an integer from " + min + " to " + max));
        return dflt;
    }

    /** This page of a fully materialised list. */
    public <T> Page<T> slice(List<T> all) {
        int from = (int) Math.min(offset, all.size());
        int to = (int) Math.min((long) from + limit, all.size());
        Long next = to < all.size() ? (long) to : null;
        return new Page<>(all.subList(from, to), all.size(), limit, offset, next);
    }

    /** One page of a list response; {@code nextOffset} is null on the last page. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Page<T>(List<T> items, long total, int limit, long offset, Long nextOffset) {
        public Page {
            items = List.copyOf(items);
        }
    }
}
