package io.ssewatch.examples.httpserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.ssewatch.api.WatchService;
import io.ssewatch.api.adapter.WatchConnection;
import io.ssewatch.api.adapter.WatchRequest;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link HttpHandler} for the JDK's built-in {@code com.sun.net.httpserver} server that
 * serves sse-watch streams and passes every other request to the handler it wraps.
 *
 * <p>It binds sse-watch to a server that the library has no adapter for, using only the
 * public adapter SPI of {@code io.ssewatch.api.adapter}. A GET with {@code watch=true} on a
 * route of the {@link WatchService} becomes a Server-Sent Events stream; everything else goes
 * to the wrapped handler unchanged. Routes are matched against the full decoded request path,
 * whatever the context path.
 *
 * <pre>{@code
 * WatchHttpHandler watches = new WatchHttpHandler(service, existingHandler);
 * server.createContext("/", watches);
 * }</pre>
 *
 * <p>The JDK server's response streams block, so this handler writes on its own pool of
 * daemon threads, one write at a time per stream. A write to a client that keeps up takes a
 * pool thread only briefly, and a write that stalls is interrupted when the service cuts the
 * stream as too slow. {@link #close} stops the pool.
 *
 * <p>Start the JVM with {@code -Dsun.net.httpserver.nodelay=true}. Without it the JDK server
 * leaves Nagle's algorithm on, which holds back the tail of each small write until the client
 * acknowledges the previous one. The contract suite's slow-consumer case waits for each of a
 * few hundred events, and took 3 to 6 seconds instead of 0.6 without it (JDK 17, Linux
 * loopback).
 *
 * <p>Thread-safe; one instance serves every request of a context.
 */
public final class WatchHttpHandler implements HttpHandler, AutoCloseable {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final WatchService service;
    private final HttpHandler next;
    private final ExecutorService writers;

    /**
     * Creates a handler.
     *
     * @param service the watch service that decides which requests are watches
     * @param next the handler that gets every request that is not a watch
     */
    public WatchHttpHandler(WatchService service, HttpHandler next) {
        this.service = Objects.requireNonNull(service, "service");
        this.next = Objects.requireNonNull(next, "next");
        int pool = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.writers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task,
                    "sse-watch-httpserver-" + pool + "-writer-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    // tag::handle[]
    @Override
    public void handle(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        WatchRequest request = new WatchRequest(exchange.getRequestMethod(), uri.getPath(),
                uri.getRawQuery(), name -> exchange.getRequestHeaders().getFirst(name), exchange);
        ExchangeSink sink = new ExchangeSink(exchange, writers);
        Optional<WatchConnection> connection = service.open(request, sink);
        if (connection.isEmpty()) {
            next.handle(exchange);
            return;
        }
        sink.bind(connection.get());
    }
    // end::handle[]

    /**
     * Stops the writer threads. Call it after stopping the server; streams that are still
     * open end as if their clients had gone.
     */
    @Override
    public void close() {
        writers.shutdownNow();
    }
}
