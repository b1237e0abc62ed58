package io.sigil.server.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.List;

/**
 * Reads request bodies strictly: JSON content type, no unknown or duplicate members, no trailing data, missing
 * primitives refused. Errors become a 400 problem naming the field and what is wrong with it. Records validate
 * their own invariants in their compact constructors; an {@link IllegalArgumentException} thrown there becomes
 * the field's reason.
 */
public final class JsonBodies {
    static final int DIRECT_READ_MAX = 1 << 20;
    private final ObjectMapper mapper;

    /** @param mapper the server's request mapper ({@link Json#requestMapper()}) */
    public JsonBodies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public <T> T read(Context ctx, Class<T> type) {
        requireJson(ctx);
        return parse(body(ctx), type);
    }

    /** Like {@link #read}, for an optional body: null when the request has none. */
    public <T> T readOptional(Context ctx, Class<T> type) {
        byte[] body = body(ctx);
        if (body.length == 0) return null;
        requireJson(ctx);
        return parse(body, type);
    }

    private static void requireJson(Context ctx) {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiProblem(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "Send the body as application/json."));
        }
    }

    /**
     * The request body. A body of declared length (which {@link RequestPipeline} has held to the configured limit)
     * is read into an array of exactly that size: Javalin's reader grows a buffer in chunks, 7% of the server's
     * allocation. A chunked body, or one declared above {@link #DIRECT_READ_MAX}, goes through Javalin, which
     * refuses bodies over the limit with 413.
     */
    private static byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared < 0 || declared > DIRECT_READ_MAX) return ctx.bodyAsBytes();
        try {
            byte[] body = ctx.req().getInputStream().readNBytes((int) declared);
            if (body.length < declared) {
                throw ApiProblem.badRequest("The request body ended after " + body.length + " of the "
                        + declared + " bytes its Content-Length declares.", List.of());
            }
            return body;
        } catch (java.io.IOException e) {
            throw ApiProblem.badRequest("The request body could not be read.", List.of());
        }
    }

    /** Reads a JSON document that did not come as a request body (a WebSocket message) with the same rules. */
    public <T> T parse(byte[] body, Class<T> type) {
        if (body.length == 0) throw ApiProblem.badRequest("The request body is empty; a JSON object is required.", List.of());
        try {
            T value = mapper.readValue(body, type);
            if (value == null) throw ApiProblem.badRequest("The request body is null; a JSON object is required.", List.of());
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw invalid(e, "unknown field");
        } catch (InvalidFormatException e) {
            throw invalid(e, "expected " + e.getTargetType().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                    + ", got " + describe(e.getValue()));
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof FieldError f) {
                String prefix = path(e.getPath());
                String name = prefix.isEmpty() ? f.field() : prefix + "." + f.field();
                throw ApiProblem.badRequest("The request body has an invalid field: " + name + ".",
                        List.of(new Problem.InvalidParam(name, f.getMessage())));
            }
            throw invalid(e, cause != null && cause.getMessage() != null ? cause.getMessage() : "invalid value");
        } catch (MismatchedInputException e) {
            throw invalid(e, e.getTargetType() == null ? "wrong type"
                    : "expected " + e.getTargetType().getSimpleName().toLowerCase(java.util.Locale.ROOT));
        } catch (JsonParseException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw ApiProblem.badRequest("The request body is not valid JSON" + where + ": " + e.getOriginalMessage(), List.of());
        } catch (DatabindException e) {
            throw invalid(e, e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("The request body is not valid JSON: " + e.getOriginalMessage(), List.of());
        } catch (IOException e) {
            throw ApiProblem.badRequest("The request body could not be read.", List.of());
        }
    }

    private static ApiProblem invalid(DatabindException e, String reason) {
        String field = e instanceof JsonMappingException m ? path(m.getPath()) : "";
        String name = field.isEmpty() ? "(body)" : field;
        return ApiProblem.badRequest("The request body has an invalid field: " + name + ".",
                List.of(new Problem.InvalidParam(name, reason)));
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String describe(Object value) {
        if (value == null) return "null";
        String s = String.valueOf(value);
        return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
    }
}
