package io.ssewatch.jetty;

import io.ssewatch.api.ResourceRef;
import io.ssewatch.api.Store;
import io.ssewatch.api.WatchRoute;
import io.ssewatch.api.WatchService;
import io.ssewatch.api.memory.InMemoryStore;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;

/** The README's "embed in an existing Jetty service" example; compiled and run by a test. */
final class EmbedInJettyExample {

    private EmbedInJettyExample() {
    }

    static Server start(Handler existingHandler, int port) throws Exception {
        Store store = new InMemoryStore();
        WatchService watches = WatchService.builder(store)
                .route(WatchRoute.list("/api/v2/pools/{pool}/volumes/")
                        .collection(p -> "pools/" + p.get("pool") + "/volumes")
                        .parents(p -> List.of(new ResourceRef("pools", p.get("pool"))))
                        .build())
                .route(WatchRoute.detail("/api/v2/pools/{pool}/volumes/{volume}/")
                        .collection(p -> "pools/" + p.get("pool") + "/volumes")
                        .build())
                .build();

        Server server = new Server(port);
        server.setHandler(new WatchHandler(watches, existingHandler));
        server.start();
        return server;
    }
}
