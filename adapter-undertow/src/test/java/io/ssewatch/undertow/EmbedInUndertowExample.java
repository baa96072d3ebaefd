package io.ssewatch.undertow;

import io.ssewatch.api.ResourceRef;
import io.ssewatch.api.Store;
import io.ssewatch.api.WatchRoute;
import io.ssewatch.api.WatchService;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The "embed in an existing Undertow service" example of {@code docs/undertow.md}. The lines
 * between the tag comments appear in that page unchanged; {@code EmbedInUndertowExampleTest}
 * checks that and runs the example.
 */
final class EmbedInUndertowExample implements AutoCloseable {

    private final WatchService watches;
    private final Undertow server;

    // tag::embed[]
    EmbedInUndertowExample(Store store, HttpHandler existingHandler, String host, int port) {
        watches = WatchService.builder(store)
                .route(WatchRoute.list("/api/v2/pools/{pool}/volumes/")
                        .collection(p -> "pools/" + p.get("pool") + "/volumes")
                        .parents(p -> List.of(new ResourceRef("pools", p.get("pool"))))
                        .build())
                .route(WatchRoute.detail("/api/v2/pools/{pool}/volumes/{volume}/")
                        .collection(p -> "pools/" + p.get("pool") + "/volumes")
                        .build())
                .build();

        server = Undertow.builder()
                .addHttpListener(port, host)
                // Watches are served here; every other request reaches the existing handler.
                .setHandler(new WatchHandler(watches, existingHandler))
                .build();
        server.start();
    }

    @Override
    public void close() {
        watches.close(); // ends every stream with `unavailable`, so clients reconnect
        server.stop();
    }
    // end::embed[]

    /** Returns the port the server listens on. */
    int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }
}
