package io.sigil.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Errors Jetty answers itself, before a request reaches Javalin (an unparsable request line, a bad header, an
 * unsupported HTTP version): a problem document instead of Jetty's HTML page, without the exception's message.
 */
public final class JettyErrors extends ErrorHandler {
    private final ObjectMapper mapper;

    public JettyErrors(ObjectMapper mapper) {
        this.mapper = mapper;
        setShowStacks(false);
        setShowMessageInTitle(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(Problems.forStatus(code));
        } catch (Exception e) {
            body = ("{\"status\":" + code + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
