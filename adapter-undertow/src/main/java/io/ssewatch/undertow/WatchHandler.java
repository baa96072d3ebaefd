package io.ssewatch.undertow;

import io.ssewatch.api.WatchService;
import io.ssewatch.api.adapter.WatchConnection;
import io.ssewatch.api.adapter.WatchRequest;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Objects;
import java.util.Optional;

/**
 * An Undertow {@link HttpHandler} that serves sse-watch streams and passes every other request
 * to the handler it wraps. It uses no servlet API.
 *
 * <p>A GET with {@code watch=true} on a route of the {@link WatchService} becomes a
 * Server-Sent Events stream; everything else, including {@code watch=false} and requests
 * without {@code watch}, goes to the wrapped handler unchanged. Routes are matched against
 * {@link HttpServerExchange#getRelativePath()}, so behind a {@code PathHandler} prefix they are
 * written without the prefix.
 *
 * <pre>{@code
 * WatchService watches = WatchService.builder(store).route(volumes).build();
 * Undertow server = Undertow.builder()
 *         .addHttpListener(8080, "0.0.0.0")
 *         .setHandler(new WatchHandler(watches, existingHandler))
 *         .build();
 * }</pre>
 *
 * <p>The handler makes no blocking calls, on the IO thread or behind a
 * {@code BlockingHandler}. Every write goes through the exchange's response channel
 * on the connection's IO thread, at most one is outstanding per stream, and each is flushed
 * before it completes. On HTTP/1.1 the body is chunked, and the connection stays reusable
 * after the stream ends; Undertow adds {@code Connection: keep-alive} unless
 * {@code UndertowOptions.ALWAYS_SET_KEEP_ALIVE} is false. Undertow's write timeout (the XNIO
 * {@code WRITE_TIMEOUT} socket option, capped by {@code UndertowOptions.IDLE_TIMEOUT}) counts
 * only while a write is pending, so it does not cut a quiet stream between two pings, but it
 * does close the connection of a client that stops reading. A client that goes away is
 * noticed when the connection closes or a write fails, which on HTTP/1.1 is usually the next
 * ping.
 *
 * <p>Thread-safe; one instance serves every request of a listener.
 */
public final class WatchHandler implements HttpHandler {

    private final WatchService service;
    private final HttpHandler next;

    /**
     * Creates a handler.
     *
     * @param service the watch service that decides which requests are watches
     * @param next the handler that gets every request that is not a watch
     */
    public WatchHandler(WatchService service, HttpHandler next) {
        this.service = Objects.requireNonNull(service, "service");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String query = exchange.getQueryString();
        WatchRequest request = new WatchRequest(exchange.getRequestMethod().toString(),
                exchange.getRelativePath(), query == null || query.isEmpty() ? null : query,
                name -> exchange.getRequestHeaders().getFirst(name), exchange);
        UndertowSink sink = new UndertowSink(exchange);
        Optional<WatchConnection> connection = service.open(request, sink);
        if (connection.isEmpty()) {
            next.handleRequest(exchange);
            return;
        }
        sink.bind(connection.get());
    }

    /** Returns the handler that gets every request that is not a watch. */
    public HttpHandler getNext() {
        return next;
    }
}
