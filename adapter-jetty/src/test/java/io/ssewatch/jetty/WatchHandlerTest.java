package io.ssewatch.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.launchdarkly.eventsource.EventSource;
import com.launchdarkly.eventsource.MessageEvent;
import io.ssewatch.api.Revision;
import io.ssewatch.api.WatchRoute;
import io.ssewatch.api.WatchService;
import io.ssewatch.api.WatchStats;
import io.ssewatch.api.memory.InMemoryStore;
import io.ssewatch.testing.SseEvent;
import io.ssewatch.testing.SseTestClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Jetty adapter over real HTTP/1.1 on an ephemeral port. */
class WatchHandlerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration WAIT = SseTestClient.WAIT;

    private final InMemoryStore store = new InMemoryStore();
    private final WatchStats stats = new WatchStats();
    private WatchService service;
    private Server server;
    private int port;

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

    private void start(Consumer<WatchService.Builder> options, long idleTimeoutMillis)
            throws Exception {
        WatchService.Builder builder = WatchService.builder(store).metrics(stats)
                .route(WatchRoute.list("/items/").collection("items").build())
                .route(WatchRoute.detail("/items/{id}/").collection("items").build());
        options.accept(builder);
        service = builder.build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(idleTimeoutMillis);
        server.addConnector(connector);
        server.setHandler(new WatchHandler(service, new PlainHandler()));
        server.start();
        port = connector.getLocalPort();
    }

    private void start() throws Exception {
        start(builder -> { }, 30_000);
    }

    private static ObjectNode item(String id, int version) {
        return MAPPER.createObjectNode().put("id", id).put("version", version);
    }

    private static String event(String name, Revision revision, ObjectNode body) {
        return "event: " + name + "\nid: " + revision.token() + "\ndata: " + body + "\n\n";
    }

    @Test
    void streamHasExactWireTextAndHeaders() throws Exception {
        Revision first = store.put("items", "a", item("a", 1));
        start();

        try (SseTestClient client = SseTestClient.get(port, "/items/?watch=true")) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.header("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
            assertThat(client.header("Cache-Control")).isEqualTo("no-store");
            assertThat(client.header("X-Accel-Buffering")).isEqualTo("no");
            assertThat(client.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(client.header("Connection")).isNull();
            assertThat(client.header("Content-Encoding")).isNull();

            assertThat(client.nextFrame()).isEqualTo("event: snapshot\nid: " + first.token()
                    + "\nretry: 3000\ndata: [" + item("a", 1) + "]\n\n");
            Revision created = store.put("items", "b", item("b", 1));
            assertThat(client.nextFrame()).isEqualTo(event("created", created, item("b", 1)));
            Revision updated = store.put("items", "b", item("b", 2));
            assertThat(client.nextFrame()).isEqualTo(event("updated", updated, item("b", 2)));
            Revision deleted = store.delete("items", "b");
            assertThat(client.nextFrame()).isEqualTo(event("deleted", deleted, item("b", 2)));
        }
    }

    @Test
    void quietStreamGetsPingComments() throws Exception {
        start(builder -> builder.pingInterval(Duration.ofMillis(100)), 30_000);

        try (SseTestClient client = SseTestClient.get(port, "/items/?watch=true")) {
            client.nextFrame();
            String ping = client.nextFrame();

            assertThat(ping).matches(": ping - \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z\n\n");
        }
    }

    @Test
    void quietStreamSurvivesJettyIdleTimeout() throws Exception {
        // The connector's idle timeout is far shorter than the ping interval: without the
        // adapter's idle-timeout listener Jetty would cut the stream after 200 ms.
        start(builder -> builder.pingInterval(Duration.ofSeconds(1)), 200);

        try (SseTestClient client = SseTestClient.get(port, "/items/?watch=true")) {
            client.nextFrame();
            assertThat(SseEvent.parse(client.nextFrame()).comments()).first().asString()
                    .startsWith("ping - ");
            Revision created = store.put("items", "late", item("late", 1));

            assertThat(client.nextEvent().id()).isEqualTo(created.token());
        }
    }

    @Test
    void otherRequestsReachWrappedHandler() throws Exception {
        start();

        try (SseTestClient plain = SseTestClient.get(port, "/items/");
                SseTestClient off = SseTestClient.get(port, "/items/?watch=false");
                SseTestClient unrouted = SseTestClient.get(port, "/elsewhere/?watch=true")) {
            assertThat(plain.body()).isEqualTo("plain GET /items/");
            assertThat(off.body()).isEqualTo("plain GET /items/");
            assertThat(unrouted.body()).isEqualTo("plain GET /elsewhere/");
        }
    }

    @Test
    void invalidWatchValueIs400WithJson() throws Exception {
        start();

        try (SseTestClient client = SseTestClient.get(port, "/items/?watch=maybe")) {
            assertThat(client.status()).isEqualTo(400);
            assertThat(client.header("Content-Type")).isEqualTo("application/json");
            assertThat(client.body()).contains("watch: \\\"maybe\\\" is invalid");
        }
    }

    @Test
    void missingDetailIs404WithJson() throws Exception {
        start();

        try (SseTestClient client = SseTestClient.get(port, "/items/nope/?watch=true")) {
            assertThat(client.status()).isEqualTo(404);
            assertThat(client.body()).isEqualTo("{\"detail\":\"not found: /items/nope/\"}");
        }
    }

    /** Catches a watch that outlives its client when the client closes with a FIN. */
    @Test
    void clientCloseReleasesWatch() throws Exception {
        start(builder -> builder.pingInterval(Duration.ofMillis(100)), 30_000);
        SseTestClient client = SseTestClient.get(port, "/items/?watch=true");
        client.nextFrame();
        assertThat(stats.openWatches()).isEqualTo(1);

        client.close();

        await("watch released after FIN").atMost(WAIT).until(() -> stats.openWatches() == 0);
    }

    /** Catches a watch that outlives its client when the connection is reset. */
    @Test
    void clientResetReleasesWatch() throws Exception {
        start(builder -> builder.pingInterval(Duration.ofMillis(100)), 30_000);
        SseTestClient client = SseTestClient.get(port, "/items/?watch=true");
        client.nextFrame();

        client.reset();

        await("watch released after RST").atMost(WAIT).until(() -> stats.openWatches() == 0);
    }

    @Test
    void okhttpEventSourceReadsEveryEventKind() throws Exception {
        store.put("items", "a", item("a", 1));
        start();
        URI uri = URI.create("http://127.0.0.1:" + port + "/items/?watch=true");

        try (EventSource source = new EventSource.Builder(uri).build()) {
            source.start();
            MessageEvent snapshot = source.readMessage();
            assertThat(snapshot.getEventName()).isEqualTo("snapshot");
            assertThat(MAPPER.readTree(snapshot.getData())).isEqualTo(
                    MAPPER.createArrayNode().add(item("a", 1)));

            Revision created = store.put("items", "b", item("b", 1));
            MessageEvent createdEvent = source.readMessage();
            assertThat(createdEvent.getEventName()).isEqualTo("created");
            assertThat(createdEvent.getLastEventId()).isEqualTo(created.token());
            assertThat(MAPPER.readTree(createdEvent.getData())).isEqualTo(item("b", 1));

            store.put("items", "b", item("b", 2));
            MessageEvent updatedEvent = source.readMessage();
            assertThat(updatedEvent.getEventName()).isEqualTo("updated");
            assertThat(MAPPER.readTree(updatedEvent.getData())).isEqualTo(item("b", 2));

            Revision deleted = store.delete("items", "b");
            MessageEvent deletedEvent = source.readMessage();
            assertThat(deletedEvent.getEventName()).isEqualTo("deleted");
            assertThat(deletedEvent.getLastEventId()).isEqualTo(deleted.token());
            assertThat(MAPPER.readTree(deletedEvent.getData())).isEqualTo(item("b", 2));
        }
    }

    /** Answers every request it gets with "plain METHOD PATH". */
    private static final class PlainHandler extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(org.eclipse.jetty.server.Request request,
                org.eclipse.jetty.server.Response response, Callback callback) {
            response.getHeaders().put("Content-Type", "text/plain");
            String text = "plain " + request.getMethod() + " " + request.getHttpURI().getPath();
            response.write(true, java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)),
                    callback);
            return true;
        }
    }
}
