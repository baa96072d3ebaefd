package io.ssewatch.examples;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Serves {@link ControlPlaneApi} on Undertow, without servlets: it reads the request body,
 * calls the API and writes its response.
 *
 * <p>Undertow calls handlers on an IO thread, which must not block. This handler dispatches
 * each request to Undertow's worker pool first, because the API waits for the store, and
 * reads the body there with blocking reads. Bodies above {@link ControlPlaneApi#MAX_BODY_BYTES}
 * get 413 without reaching the API.
 *
 * <p>NOTE: the rest of an oversized body is not read, as in {@link JettyApiHandler}; Undertow
 * discards it or closes the connection when the exchange ends.
 */
final class UndertowApiHandler implements HttpHandler {

    private final ControlPlaneApi api;

    UndertowApiHandler(ControlPlaneApi api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        ApiResponse result;
        byte[] body = readBody(exchange);
        if (body == null) {
            result = ApiResponse.error(413, "request body is larger than "
                    + ControlPlaneApi.MAX_BODY_BYTES + " bytes (expected: a JSON object of a few "
                    + "hundred bytes)");
        } else {
            String query = exchange.getQueryString();
            result = api.handle(new ApiRequest(exchange.getRequestMethod().toString(),
                    rawPath(exchange), query.isEmpty() ? null : query,
                    exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE), body));
        }
        exchange.setStatusCode(result.status());
        result.headers().forEach((name, value) ->
                exchange.getResponseHeaders().put(HttpString.tryFromString(name), value));
        exchange.getResponseSender().send(ByteBuffer.wrap(result.body()));
    }

    /** Reads the whole body, or returns null when it is larger than the API accepts. */
    private static byte[] readBody(HttpServerExchange exchange) throws IOException {
        int max = ControlPlaneApi.MAX_BODY_BYTES;
        if (exchange.getRequestContentLength() > max) {
            return null;
        }
        exchange.startBlocking();
        // Not closed: closing Undertow's input stream reads the rest of an oversized body.
        byte[] body = exchange.getInputStream().readNBytes(max + 1);
        return body.length > max ? null : body;
    }

    /**
     * Returns the request path as sent, still percent-encoded. Undertow's request URI is that
     * path, unless the request line carried an absolute URI such as {@code http://host/path}.
     */
    private static String rawPath(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        if (!exchange.isHostIncludedInRequestURI()) {
            return uri;
        }
        int authority = uri.indexOf("://");
        int path = authority < 0 ? -1 : uri.indexOf('/', authority + 3);
        return path < 0 ? "/" : uri.substring(path);
    }
}
