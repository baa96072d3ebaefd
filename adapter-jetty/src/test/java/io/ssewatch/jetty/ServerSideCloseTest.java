package io.ssewatch.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ssewatch.api.WatchRoute;
import io.ssewatch.api.WatchService;
import io.ssewatch.api.WatchStats;
import io.ssewatch.api.memory.InMemoryStore;
import io.ssewatch.testing.SseTestClient;
import java.time.Duration;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.DefaultHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the Jetty adapter ends exchanges whose connection is gone. */
class ServerSideCloseTest {

    private final InMemoryStore store = new InMemoryStore();
    private final WatchStats stats = new WatchStats();
    private WatchService service;
    private Server server;
    private ServerConnector connector;
    private GracefulHandler graceful;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (service != null) {
            service.close();
        }
        store.close();
    }

    private void start(Duration pingInterval) throws Exception {
        service = WatchService.builder(store).metrics(stats).pingInterval(pingInterval)
                .route(WatchRoute.list("/items/").collection("items").build())
                .build();
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        graceful = new GracefulHandler(new WatchHandler(service, new DefaultHandler()));
        server.setHandler(graceful);
        server.start();
    }

    /**
     * Catches a watch that keeps its slot after the server itself closed the connection, which
     * Jetty reports to no failure listener on HTTP/1.1.
     */
    @Test
    void serverClosedConnectionReleasesWatchAtOnce() throws Exception {
        start(Duration.ofMinutes(10));

        try (SseTestClient client = SseTestClient.get(connector.getLocalPort(),
                "/items/?watch=true")) {
            client.nextFrame();
            assertThat(stats.openWatches()).isEqualTo(1);

            connector.getConnectedEndPoints().forEach(EndPoint::close);

            // The ping interval is ten minutes, so only the close itself can release it.
            await("watch released").atMost(Duration.ofSeconds(5))
                    .until(() -> stats.openWatches() == 0);
        }
    }

    /**
     * Catches a dead stream whose Jetty exchange stays open after its write failed, which made
     * a graceful stop wait for its whole timeout.
     */
    @Test
    void failedWriteCompletesJettyExchange() throws Exception {
        start(Duration.ofMillis(100));
        SseTestClient client = SseTestClient.get(connector.getLocalPort(), "/items/?watch=true");
        client.nextFrame();
        assertThat(graceful.getCurrentRequestCount()).isEqualTo(1);

        client.close();

        await("watch released after failed pings").atMost(Duration.ofSeconds(10))
                .until(() -> stats.openWatches() == 0);
        await("exchange completed").atMost(Duration.ofSeconds(5))
                .until(() -> graceful.getCurrentRequestCount() == 0);
    }
}
