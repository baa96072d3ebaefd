package io.ssewatch.examples.load;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The WebFlux baseline: a {@code Flux<ServerSentEvent<String>>} fan-out on Reactor Netty, as
 * Spring Boot 3.5.16 runs it, wired with the functional API so that it starts without
 * auto-configuration.
 *
 * <p>Changes go to one multicast sink. Each stream subscribes to it, under the same lock as
 * the emission, into its own unbounded unicast sink, and starts with a snapshot event (an
 * empty list) at the id of the last change emitted, so that no change is lost or repeated.
 * WebFlux encodes every event for every stream: nothing is shared between streams, which is
 * the usual way to write this with WebFlux and the cost that sse-watch avoids.
 */
final class WebFluxTarget implements LoadTarget {

    private final Object lock = new Object();
    private final Sinks.Many<ServerSentEvent<String>> changes =
            Sinks.many().multicast().directAllOrNothing();
    private DisposableServer server;
    private int eventBytes;
    private long revision;

    @Override
    public void start(LoadOptions options) {
        eventBytes = options.eventBytes();
        RouterFunction<ServerResponse> routes = RouterFunctions.route()
                .GET("/webflux/", request -> ServerResponse.ok()
                        .contentType(MediaType.TEXT_EVENT_STREAM)
                        .body(stream(), ServerSentEvent.class))
                .build();
        HttpHandler handler = RouterFunctions.toHttpHandler(routes);
        server = HttpServer.create().host("127.0.0.1").port(options.port())
                .handle(new ReactorHttpHandlerAdapter(handler)).bindNow();
    }

    private Flux<ServerSentEvent<String>> stream() {
        return Flux.defer(() -> {
            Sinks.Many<ServerSentEvent<String>> own = Sinks.many().unicast().onBackpressureBuffer();
            long at;
            Disposable subscription;
            synchronized (lock) {
                at = revision;
                subscription = changes.asFlux().subscribe(own::tryEmitNext);
            }
            ServerSentEvent<String> snapshot = ServerSentEvent.builder("[]")
                    .event("snapshot").id(at + "-00000000").build();
            return Flux.concat(Mono.just(snapshot), own.asFlux())
                    .doFinally(signal -> subscription.dispose());
        });
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    @Override
    public String watchPath() {
        return "/webflux/?watch=true";
    }

    @Override
    public boolean contiguousIds() {
        return true;
    }

    @Override
    public long nextChangeId() {
        synchronized (lock) {
            return revision + 1;
        }
    }

    @Override
    public long change(int index, long commitMicros) {
        String data = new String(Payloads.bodyBytes(index, commitMicros, eventBytes),
                StandardCharsets.UTF_8);
        synchronized (lock) {
            long id = ++revision;
            changes.tryEmitNext(ServerSentEvent.builder(data).event("updated")
                    .id(id + "-00000000").build());
            return id;
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.disposeNow();
        }
    }

    /** Registers this target as {@code webflux}. */
    public static final class Factory implements LoadTarget.Factory {
        @Override
        public String name() {
            return "webflux";
        }

        @Override
        public LoadTarget create() {
            return new WebFluxTarget();
        }
    }
}
