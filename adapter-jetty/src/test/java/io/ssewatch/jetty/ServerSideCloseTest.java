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
import org.junit.jupiter.api.Test;

/**
 * Catches a watch that keeps its slot after the server itself closed the connection, which
 * Jetty reports to no failure listener on HTTP/1.1.
 */
class ServerSideCloseTest {

    @Test
    void serverClosedConnectionReleasesWatchAtOnce() throws Exception {
        WatchStats stats = new WatchStats();
        try (InMemoryStore store = new InMemoryStore();
                WatchService service = WatchService.builder(store).metrics(stats)
                        .pingInterval(Duration.ofMinutes(10))
                        .route(WatchRoute.list("/items/").collection("items").build())
                        .build()) {
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            server.setHandler(new WatchHandler(service, new DefaultHandler()));
            server.start();
            try (SseTestClient client = SseTestClient.get(connector.getLocalPort(),
                    "/items/?watch=true")) {
                client.nextFrame();
                assertThat(stats.openWatches()).isEqualTo(1);

                connector.getConnectedEndPoints().forEach(EndPoint::close);

                // The ping interval is ten minutes, so only the close itself can release it.
                await("watch released").atMost(Duration.ofSeconds(5))
                        .until(() -> stats.openWatches() == 0);
            } finally {
                server.stop();
            }
        }
    }

    /**
     * Catches a dead stream whose Jetty exchange stays open after its write failed, which made
     * a graceful stop wait for its whole timeout.
     */
    @Test
    void failedWriteCompletesJettyExchange() throws Exception {
        WatchStats stats = new WatchStats();
        try (InMemoryStore store = new InMemoryStore();
                WatchService service = WatchService.builder(store).metrics(stats)
                        .pingInterval(Duration.ofMillis(100))
                        .route(WatchRoute.list("/items/").collection("items").build())
                        .build()) {
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            GracefulHandler graceful =
                    new GracefulHandler(new WatchHandler(service, new DefaultHandler()));
            server.setHandler(graceful);
            server.start();
            try {
                SseTestClient client = SseTestClient.get(connector.getLocalPort(),
                        "/items/?watch=true");
                client.nextFrame();
                assertThat(graceful.getCurrentRequestCount()).isEqualTo(1);

                client.close();

                await("watch released after failed pings").atMost(Duration.ofSeconds(10))
                        .until(() -> stats.openWatches() == 0);
                await("exchange completed").atMost(Duration.ofSeconds(5))
                        .until(() -> graceful.getCurrentRequestCount() == 0);
            } finally {
                server.stop();
            }
        }
    }
}
