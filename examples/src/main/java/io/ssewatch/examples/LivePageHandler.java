package io.ssewatch.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the live page, a plain HTML and JavaScript page at {@value #PAGE_PATH} that watches
 * the volumes of a storage pool with the browser's {@code EventSource}, and passes every other
 * request to the handler it wraps. {@code /} and {@code /ui} redirect to the page.
 *
 * <p>The files are read from the class path once, at construction, so {@link #handle} never
 * blocks. They are sent with {@code Cache-Control: no-cache}, so a browser picks up a new
 * version after a server restart. Thread-safe.
 */
final class LivePageHandler extends Handler.Wrapper {

    /** The path of the page. */
    static final String PAGE_PATH = "/ui/";

    private static final String RESOURCE_DIR = "/io/ssewatch/examples/ui/";

    private final Map<String, StaticFile> files;

    LivePageHandler(Handler next) {
        super(next);
        files = Map.of(
                PAGE_PATH, load("index.html", "text/html;charset=utf-8"),
                PAGE_PATH + "live.js", load("live.js", "text/javascript;charset=utf-8"),
                PAGE_PATH + "live.css", load("live.css", "text/css;charset=utf-8"));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
            throws Exception {
        String path = Request.getPathInContext(request);
        boolean redirect = path.equals("/") || path.equals("/ui");
        StaticFile file = files.get(path);
        if (!redirect && file == null) {
            return super.handle(request, response, callback);
        }
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.setStatus(405);
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            response.write(true, BufferUtil.EMPTY_BUFFER, callback);
            return true;
        }
        if (redirect) {
            response.setStatus(302);
            response.getHeaders().put(HttpHeader.LOCATION, PAGE_PATH);
            response.write(true, BufferUtil.EMPTY_BUFFER, callback);
            return true;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, file.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, file.bytes().length);
        ByteBuffer body = method.equals("HEAD") ? BufferUtil.EMPTY_BUFFER
                : ByteBuffer.wrap(file.bytes());
        response.write(true, body, callback);
        return true;
    }

    private static StaticFile load(String name, String contentType) {
        try (InputStream in = LivePageHandler.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("class path resource " + RESOURCE_DIR + name
                        + " is missing (expected: in the examples jar; rebuild it)");
            }
            return new StaticFile(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException("reading class path resource " + RESOURCE_DIR + name
                    + " failed", e);
        }
    }

    private record StaticFile(byte[] bytes, String contentType) {
    }
}
