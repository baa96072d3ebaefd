package io.ssewatch.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssewatch.api.WatchRoute;
import io.ssewatch.api.WatchService;
import io.ssewatch.api.WatchStats;
import io.ssewatch.api.memory.InMemoryStore;
import io.ssewatch.testing.SseTestClient;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xnio.Options;

/**
 * Undertow's own write timeout against a client that stopped reading. The adapter lets it
 * count while a write is pending, so it closes the connection before the service's much
 * longer write timeout or buffer bound acts.
 */
class UndertowWriteTimeoutTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final InMemoryStore store = new InMemoryStore();
    private final WatchStats stats = new WatchStats();
    private WatchService service;
    private Undertow server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (service != null) {
            service.close();
        }
        store.close();
    }

    @Test
    void writeTimeoutClosesStalledClient() throws Exception {
        service = WatchService.builder(store).metrics(stats)
                .writeTimeout(Duration.ofMinutes(1))
                .maxBufferBytes(64 * 1024 * 1024)
                .route(WatchRoute.list("/items/").collection("items").build())
                .build();
        server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setSocketOption(Options.WRITE_TIMEOUT, 300)
                .setHandler(new WatchHandler(service, exchange -> exchange.setStatusCode(404)))
                .build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        String padding = "x".repeat(16 * 1024);

        try (SseTestClient stalled = SseTestClient.getWithoutReading(port, "/items/?watch=true")) {
            await("watch open").atMost(SseTestClient.WAIT).until(() -> stats.openWatches() == 1);
            // About 16 MiB: more than the socket buffers hold, less than the service's bound.
            for (int i = 0; i < 1000 && stats.openWatches() == 1; i++) {
                store.put("items", "i" + i,
                        MAPPER.createObjectNode().put("id", "i" + i).put("padding", padding));
            }

            await("watch released by Undertow's write timeout").atMost(SseTestClient.WAIT)
                    .until(() -> stats.openWatches() == 0);
            assertThat(stats.slowConsumersClosed()).as("streams cut by the service").isZero();
        }
    }
}
