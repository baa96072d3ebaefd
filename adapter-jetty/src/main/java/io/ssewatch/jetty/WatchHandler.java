package io.ssewatch.jetty;

import io.ssewatch.api.WatchService;
import io.ssewatch.api.adapter.WatchConnection;
import io.ssewatch.api.adapter.WatchRequest;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty 12 core {@link Handler} that serves sse-watch streams and passes every other
 * request to the handler it wraps.
 *
 * <p>A GET with {@code watch=true} on a route of the {@link WatchService} becomes a
 * Server-Sent Events stream; everything else, including {@code watch=false} and requests
 * without {@code watch}, goes to the wrapped handler unchanged.
 *
 * <pre>{@code
 * WatchService watches = WatchService.builder(store).route(volumes).build();
 * server.setHandler(new WatchHandler(watches, existingHandler));
 * }</pre>
 *
 * <p>Streams never block a thread: writes are asynchronous, at most one is outstanding per
 * stream, and Jetty's idle timeout does not cut a quiet stream (pings keep it active, and an
 * idle timeout with no write pending is ignored). A client that goes away is noticed when a
 * write fails, which on HTTP/1.1 is usually the next ping, or at once on an HTTP/2 reset.
 * Keep SSE routes out of {@code GzipHandler}, which would hold events back.
 */
public final class WatchHandler extends Handler.Wrapper {

    private final WatchService service;

    /** Creates a handler with no wrapped handler; set one with {@link #setHandler}. */
    public WatchHandler(WatchService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    /** Creates a handler that passes requests that are not watches to {@code next}. */
    public WatchHandler(WatchService service, Handler next) {
        super(next);
        this.service = Objects.requireNonNull(service, "service");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        WatchRequest watchRequest = new WatchRequest(request.getMethod(),
                Request.getPathInContext(request), request.getHttpURI().getQuery(),
                name -> request.getHeaders().get(name), request);
        JettySink sink = new JettySink(request, response, callback);
        Optional<WatchConnection> connection = service.open(watchRequest, sink);
        if (connection.isEmpty()) {
            return super.handle(request, response, callback);
        }
        sink.bind(connection.get());
        return true;
    }
}
