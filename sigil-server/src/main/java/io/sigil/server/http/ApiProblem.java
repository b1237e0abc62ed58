package io.sigil.server.http;

import java.util.Map;

/** Thrown by handlers (and the request pipeline) to answer with a specific problem and extra headers. */
public final class ApiProblem extends RuntimeException {
    private final Problem problem;
    private final Map<String, String> headers;

    public ApiProblem(Problem problem) {
        this(problem, Map.of());
    }

    public ApiProblem(Problem problem, Map<String, String> headers) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = Map.copyOf(headers);
    }

    public Problem problem() { return problem; }

    public Map<String, String> headers() { return headers; }

    public static ApiProblem badRequest(String detail, java.util.List<Problem.InvalidParam> params) {
        return new ApiProblem(Problem.of(400, "invalid-request", "Invalid request", detail).withInvalidParams(params));
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(Problem.of(404, "not-found", "Not found", detail));
    }
}
