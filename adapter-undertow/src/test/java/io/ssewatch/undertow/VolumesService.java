package io.ssewatch.undertow;

import io.ssewatch.api.Store;
import io.ssewatch.api.WatchRoute;
import io.ssewatch.api.WatchService;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;

/**
 * The example of {@code docs/undertow.md}: an existing Undertow service whose volume list and
 * detail endpoints gain {@code ?watch=true}. The lines between the tag comments appear in that
 * page unchanged; {@code VolumesServiceTest} checks that and runs the example.
 */
public final class VolumesService implements AutoCloseable {

    private final WatchService watches;
    private final Undertow server;

    // tag::embed[]
    public VolumesService(Store store, HttpHandler existingApi, String host, int port) {
        // One route per endpoint that gains ?watch=true, on the collection it lists.
        watches = WatchService.builder(store)
                .route(WatchRoute.list("/api/volumes/").collection("volumes").build())
                .route(WatchRoute.detail("/api/volumes/{id}/").collection("volumes").build())
                .build();
        server = Undertow.builder()
                .addHttpListener(port, host)
                // Watches are served here; every other request reaches the existing API.
                .setHandler(new WatchHandler(watches, existingApi))
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
    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }
}
