package io.ssewatch.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves {@link ControlPlaneApi} on Jetty 12 core, without servlets: it reads the request
 * body, calls the API and writes its response.
 *
 * <p>It extends {@link Handler.Abstract}, which declares to Jetty that the handler may block,
 * because the API waits for the store. Bodies above
 * {@link ControlPlaneApi#MAX_BODY_BYTES} get 413 without reaching the API.
 */
final class JettyApiHandler extends Handler.Abstract {

    private final ControlPlaneApi api;

    JettyApiHandler(ControlPlaneApi api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
            throws Exception {
        ApiResponse result;
        byte[] body = readBody(request);
        if (body == null) {
            result = ApiResponse.error(413, "request body is larger than "
                    + ControlPlaneApi.MAX_BODY_BYTES + " bytes (expected: a JSON object of a few "
                    + "hundred bytes)");
        } else {
            result = api.handle(new ApiRequest(request.getMethod(),
                    request.getHttpURI().getPath(), request.getHttpURI().getQuery(),
                    request.getHeaders().get(HttpHeader.CONTENT_TYPE), body));
        }
        response.setStatus(result.status());
        result.headers().forEach(response.getHeaders()::put);
        response.write(true, ByteBuffer.wrap(result.body()), callback);
        return true;
    }

    /** Reads the whole body, or returns null when it is larger than the API accepts. */
    private static byte[] readBody(Request request) throws IOException {
        int max = ControlPlaneApi.MAX_BODY_BYTES;
        if (request.getLength() > max) {
            return null;
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(max + 1);
            return body.length > max ? null : body;
        }
    }
}
