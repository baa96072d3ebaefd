package io.ssewatch.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.launchdarkly.eventsource.EventSource;
import com.launchdarkly.eventsource.MessageEvent;
import io.ssewatch.api.CorsPolicy;
import io.ssewatch.api.Resource;
import io.ssewatch.api.Revision;
import io.ssewatch.api.WatchRoute;
import io.ssewatch.api.WatchService;
import io.ssewatch.api.WatchStats;
import io.ssewatch.api.memory.InMemoryStore;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP-level contract every sse-watch adapter must pass, over real HTTP/1.1 on an
 * ephemeral port of 127.0.0.1.
 *
 * <p>An adapter's test extends this class and implements {@link #startServer}: a server that
 * serves the given {@link WatchService} through the adapter and passes every other request to
 * a fallback handler that returns {@code 200 text/plain} with the body
 * {@code plain METHOD PATH}. The cases check the exact bytes of every event, the response
 * headers, pings, pass-through, error responses, CORS, resume, disconnects, slow consumers,
 * line breaks, large events and connection reuse. The event bytes must be identical for every
 * adapter; only the headers that frame the body may differ, through
 * {@link #assertStreamFraming}.
 */
public abstract class AdapterContract {

    /** The idle timeout of servers in cases that do not test it. */
    protected static final Duration LONG_IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WAIT = SseTestClient.WAIT;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The store behind the service; tests write to it to produce events. */
    protected final InMemoryStore store = new InMemoryStore();
    /** The service's metrics; {@code openWatches()} shows whether a watch was released. */
    protected final WatchStats stats = new WatchStats();
    private WatchService service;
    private TestServer server;

    /** A server started for one test. */
    public interface TestServer extends AutoCloseable {

        /** Returns the port the server listens on, on 127.0.0.1. */
        int port();

        /** Stops the server; the contract closes the service afterwards. */
        @Override
        void close() throws Exception;
    }

    /**
     * Starts a server with the adapter under test on 127.0.0.1 and an ephemeral port.
     *
     * @param service the watch service the adapter serves
     * @param idleTimeout the server's own idle timeout for connections. Some cases set it far
     *     below the ping interval. A server that has no such timeout ignores it.
     */
    protected abstract TestServer startServer(WatchService service, Duration idleTimeout)
            throws Exception;

    /**
     * Checks the response headers that frame a stream's body. By default: HTTP/1.1 chunked
     * transfer coding, and no {@code Connection} header, so the connection stays reusable.
     */
    protected void assertStreamFraming(SseTestClient client) {
        assertThat(client.header("Transfer-Encoding")).as("Transfer-Encoding")
                .isEqualTo("chunked");
        assertThat(client.header("Connection")).as("Connection").isNull();
    }

    @AfterEach
    void stopServer() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (service != null) {
                service.close();
            }
            store.close();
        }
    }

    /** Returns the port of the running server. */
    protected int port() {
        return server.port();
    }

    /**
     * Starts the service and the server. The service has a list route {@code /items/} and a
     * detail route {@code /items/{id}/} on collection {@code items}, and a list route
     * {@code /lines/} on collection {@code lines} whose renderer adds line breaks.
     */
    protected void start(Consumer<WatchService.Builder> options, Duration idleTimeout)
            throws Exception {
        WatchService.Builder builder = WatchService.builder(store).metrics(stats)
                .route(WatchRoute.list("/items/").collection("items").build())
                .route(WatchRoute.detail("/items/{id}/").collection("items").build())
                .route(WatchRoute.list("/lines/").collection("lines")
                        .renderer(AdapterContract::withLineBreaks).build());
        options.accept(builder);
        service = builder.build();
        server = startServer(service, idleTimeout);
    }

    /** Starts with the default service settings and a long idle timeout. */
    protected void start() throws Exception {
        start(builder -> { }, LONG_IDLE_TIMEOUT);
    }

    /** Returns an item body. */
    protected static ObjectNode item(String id, int version) {
        return MAPPER.createObjectNode().put("id", id).put("version", version);
    }

    /** Returns the exact text of a change event. */
    protected static String event(String name, Revision revision, JsonNode body) {
        return "event: " + name + "\nid: " + revision.token() + "\ndata: " + body + "\n\n";
    }

    @Test
    void streamHasExactWireTextAndHeaders() throws Exception {
        Revision first = store.put("items", "a", item("a", 1));
        start();

        try (SseTestClient client = SseTestClient.get(port(), "/items/?watch=true")) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.header("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
            assertThat(client.header("Cache-Control")).isEqualTo("no-store");
            assertThat(client.header("X-Accel-Buffering")).isEqualTo("no");
            assertThat(client.header("Content-Encoding")).isNull();
            assertThat(client.header("Content-Length")).isNull();
            assertStreamFraming(client);

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

    /**
     * Catches an adapter that cuts the connection, or leaves the exchange open, when the core
     * ends a stream cleanly: a keep-alive client must be able to send its next request.
     */
    @Test
    void detailStreamEndsKeepingConnection() throws Exception {
        Revision first = store.put("items", "a", item("a", 1));
        start();

        try (SseTestClient client = SseTestClient.get(port(), "/items/a/?watch=true")) {
            assertThat(client.nextFrame()).isEqualTo("event: snapshot\nid: " + first.token()
                    + "\nretry: 3000\ndata: " + item("a", 1) + "\n\n");
            Revision deleted = store.delete("items", "a");
            assertThat(client.nextFrame()).isEqualTo(event("deleted", deleted, item("a", 1)));

            try (SseTestClient next = client.getAgain("/items/")) {
                assertThat(next.status()).isEqualTo(200);
                assertThat(next.body()).isEqualTo("plain GET /items/");
            }
        }
        await("watch released after its stream ended").atMost(WAIT)
                .until(() -> stats.openWatches() == 0);
    }

    @Test
    void quietStreamGetsPingComments() throws Exception {
        start(builder -> builder.pingInterval(Duration.ofMillis(100)), LONG_IDLE_TIMEOUT);

        try (SseTestClient client = SseTestClient.get(port(), "/items/?watch=true")) {
            client.nextFrame();
            String ping = client.nextFrame();

            assertThat(ping)
                    .matches(": ping - \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z\n\n");
        }
    }

    /** Catches an adapter that lets the server's own idle timeout cut a quiet stream. */
    @Test
    void quietStreamSurvivesServerIdleTimeout() throws Exception {
        start(builder -> builder.pingInterval(Duration.ofSeconds(1)), Duration.ofMillis(200));

        try (SseTestClient client = SseTestClient.get(port(), "/items/?watch=true")) {
            client.nextFrame();
            assertThat(client.next().comments()).as("first frame after 1 s of quiet").first()
                    .asString().startsWith("ping - ");
            assertThat(client.next().comments()).as("second frame after 1 s of quiet").first()
                    .asString().startsWith("ping - ");
            Revision created = store.put("items", "late", item("late", 1));

            assertThat(client.nextEvent().id()).isEqualTo(created.token());
        }
    }

    @Test
    void otherRequestsReachFallbackHandler() throws Exception {
        start();

        try (SseTestClient plain = SseTestClient.get(port(), "/items/");
                SseTestClient off = SseTestClient.get(port(), "/items/?watch=false");
                SseTestClient unrouted = SseTestClient.get(port(), "/elsewhere/?watch=true");
                SseTestClient post = SseTestClient.request(port(), "POST", "/items/?watch=true")) {
            assertThat(plain.body()).isEqualTo("plain GET /items/");
            assertThat(off.body()).isEqualTo("plain GET /items/");
            assertThat(unrouted.body()).isEqualTo("plain GET /elsewhere/");
            assertThat(post.body()).isEqualTo("plain POST /items/");
        }
        assertThat(stats.watchesOpened()).as("watches opened").isZero();
    }

    @Test
    void invalidWatchValueIs400WithJson() throws Exception {
        start();

        try (SseTestClient client = SseTestClient.get(port(), "/items/?watch=maybe")) {
            assertThat(client.status()).isEqualTo(400);
            assertThat(client.header("Content-Type")).isEqualTo("application/json");
            assertThat(client.body()).isEqualTo(
                    "{\"detail\":\"watch: \\\"maybe\\\" is invalid (expected: true or false)\"}");
        }
    }

    @Test
    void malformedLastEventIdIs400() throws Exception {
        start();

        try (SseTestClient client = SseTestClient.get(port(), "/items/?watch=true",
                "Last-Event-ID: not-a-revision")) {
            assertThat(client.status()).isEqualTo(400);
            assertThat(client.header("Content-Type")).isEqualTo("application/json");
            assertThat(client.body()).startsWith("{\"detail\":\"Last-Event-ID: ");
        }
    }

    @Test
    void missingDetailIs404WithJson() throws Exception {
        start();

        try (SseTestClient client = SseTestClient.get(port(), "/items/nope/?watch=true")) {
            assertThat(client.status()).isEqualTo(404);
            assertThat(client.header("Content-Type")).isEqualTo("application/json");
            assertThat(client.body()).isEqualTo("{\"detail\":\"not found: /items/nope/\"}");
        }
    }

    /** Catches an adapter that loses the header or the query on the way to the core. */
    @Test
    void resumeSendsOnlyMissedEvents() throws Exception {
        store.put("items", "a", item("a", 1));
        start();
        Revision seen;
        try (SseTestClient first = SseTestClient.get(port(), "/items/?watch=true")) {
            first.nextFrame();
            seen = store.put("items", "b", item("b", 1));
            assertThat(first.nextEvent().id()).isEqualTo(seen.token());
        }
        Revision created = store.put("items", "c", item("c", 1));
        Revision updated = store.put("items", "b", item("b", 2));

        try (SseTestClient header = SseTestClient.get(port(), "/items/?watch=true",
                "Last-Event-ID: " + seen.token());
                SseTestClient query = SseTestClient.get(port(),
                        "/items/?watch=true&lastEventId=" + seen.token())) {
            for (SseTestClient client : new SseTestClient[] {header, query}) {
                assertThat(client.nextFrame()).isEqualTo("retry: 3000\n\n");
                assertThat(client.nextFrame()).isEqualTo(event("created", created, item("c", 1)));
                assertThat(client.nextFrame()).isEqualTo(event("updated", updated, item("b", 2)));
                client.assertNoEvent(Duration.ofMillis(200));
            }
        }
    }

    /** Catches an adapter that drops the OPTIONS method or mishandles an empty 204. */
    @Test
    void corsPreflightIs204AndStreamAllowsOrigin() throws Exception {
        String origin = "https://console.example";
        start(builder -> builder.cors(CorsPolicy.allowOrigins(origin)), LONG_IDLE_TIMEOUT);

        try (SseTestClient preflight = SseTestClient.request(port(), "OPTIONS",
                "/items/?watch=true", "Origin: " + origin,
                "Access-Control-Request-Headers: last-event-id");
                SseTestClient stream = SseTestClient.get(port(), "/items/?watch=true",
                        "Origin: " + origin)) {
            assertThat(preflight.status()).isEqualTo(204);
            assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(origin);
            assertThat(preflight.header("Access-Control-Allow-Headers"))
                    .isEqualTo("Last-Event-ID, Authorization, Cache-Control");
            assertThat(preflight.body()).isEmpty();
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Access-Control-Allow-Origin")).isEqualTo(origin);
            assertThat(stream.next().event()).isEqualTo("snapshot");
        }
    }

    /** Catches a watch that outlives its client when the client closes with a FIN. */
    @Test
    void clientCloseReleasesWatch() throws Exception {
        start(builder -> builder.pingInterval(Duration.ofMillis(100)), LONG_IDLE_TIMEOUT);
        SseTestClient client = SseTestClient.get(port(), "/items/?watch=true");
        client.nextFrame();
        assertThat(stats.openWatches()).isEqualTo(1);

        client.close();

        await("watch released after FIN").atMost(WAIT).until(() -> stats.openWatches() == 0);
    }

    /** Catches a watch that outlives its client when the connection is reset. */
    @Test
    void clientResetReleasesWatch() throws Exception {
        start(builder -> builder.pingInterval(Duration.ofMillis(100)), LONG_IDLE_TIMEOUT);
        SseTestClient client = SseTestClient.get(port(), "/items/?watch=true");
        client.nextFrame();
        assertThat(stats.openWatches()).isEqualTo(1);

        client.reset();

        await("watch released after RST").atMost(WAIT).until(() -> stats.openWatches() == 0);
    }

    /**
     * Catches an adapter that buffers without bound or blocks for a client that stopped
     * reading: the core must be able to cut that client off while another watcher of the same
     * collection gets every event.
     */
    @Test
    void slowConsumerIsCutOffOthersUnaffected() throws Exception {
        start(builder -> builder.buffer(4, 64 * 1024).maxBufferBytes(256 * 1024)
                .writeTimeout(Duration.ofMillis(500)), LONG_IDLE_TIMEOUT);
        String padding = "x".repeat(16 * 1024);
        int maxEvents = 1000;

        try (SseTestClient slow = SseTestClient.getWithoutReading(port(), "/items/?watch=true");
                SseTestClient fast = SseTestClient.get(port(), "/items/?watch=true")) {
            fast.nextFrame();
            await("both watches open").atMost(WAIT).until(() -> stats.openWatches() == 2);
            int sent = 0;
            while (sent < maxEvents && stats.slowConsumersClosed() == 0) {
                ObjectNode body = item("i" + sent, 1).put("padding", padding);
                Revision revision = store.put("items", "i" + sent, body);
                assertThat(fast.nextEvent().id()).as("event %d at the fast client", sent)
                        .isEqualTo(revision.token());
                sent++;
            }

            await("slow client cut off after " + sent + " events of 16 KiB").atMost(WAIT)
                    .until(() -> stats.slowConsumersClosed() == 1);
            await("slow watch released").atMost(WAIT).until(() -> stats.openWatches() == 1);
            Revision after = store.put("items", "after", item("after", 1));
            assertThat(fast.nextEvent().id()).as("fast client after the cut")
                    .isEqualTo(after.token());
            slow.startReading();
            slow.awaitEnd();
        }
    }

    /**
     * Sends a payload with CR, LF and CRLF between its JSON tokens, U+2028 and characters of
     * two, three and four UTF-8 bytes, to a client that reads one byte per call.
     */
    @Test
    void lineBreaksAndMultiByteCharactersAreFramed() throws Exception {
        start();

        try (SseTestClient client = SseTestClient.getByteByByte(port(), "/lines/?watch=true")) {
            client.nextFrame();
            Revision created = store.put("lines", "a", item("a", 1));

            String frame = client.nextFrame();
            assertThat(frame).isEqualTo("event: created\nid: " + created.token() + "\n"
                    + "data: {\"id\":\"a\",\"version\":1,\"lines\":[\n"
                    + "data: \"cr\",\n"
                    + "data: \"lf\",\n"
                    + "data: \"crlf\",\"\u2028\",\"\u00e9\u20ac\ud83d\ude00\"]}\n\n");
            String data = SseEvent.parse(frame).data();
            assertThat(MAPPER.readTree(data)).isEqualTo(MAPPER.createObjectNode()
                    .put("id", "a").put("version", 1)
                    .set("lines", MAPPER.createArrayNode().add("cr").add("lf").add("crlf")
                            .add("\u2028").add("\u00e9\u20ac\ud83d\ude00")));
        }
    }

    /** Catches a compressed stream, which would hold events back in the compressor. */
    @Test
    void gzipRequestGetsUncompressedEventsAtOnce() throws Exception {
        start(builder -> { }, LONG_IDLE_TIMEOUT);

        try (SseTestClient client = SseTestClient.get(port(), "/items/?watch=true",
                "Accept-Encoding: gzip, deflate")) {
            assertThat(client.header("Content-Encoding")).isNull();
            assertThat(client.nextFrame()).startsWith("event: snapshot\n");
            Revision created = store.put("items", "a", item("a", 1));
            assertThat(client.nextFrame()).isEqualTo(event("created", created, item("a", 1)));
        }
    }

    @Test
    void largeEventArrivesWhole() throws Exception {
        start(builder -> builder.maxEventBytes(2 * 1024 * 1024), LONG_IDLE_TIMEOUT);
        String large = "0123456789abcdef".repeat(64 * 1024);

        try (SseTestClient client = SseTestClient.get(port(), "/items/?watch=true")) {
            client.nextFrame();
            ObjectNode body = item("big", 1).put("payload", large);
            Revision created = store.put("items", "big", body);

            String frame = client.nextFrame();
            assertThat(frame.length()).as("frame length").isGreaterThan(1024 * 1024);
            assertThat(frame).isEqualTo(event("created", created, body));
            Revision next = store.put("items", "small", item("small", 1));
            assertThat(client.nextFrame()).isEqualTo(event("created", next, item("small", 1)));
        }
    }

    @Test
    void okhttpEventSourceReadsEveryEventKind() throws Exception {
        store.put("items", "a", item("a", 1));
        start();
        URI uri = URI.create("http://127.0.0.1:" + port() + "/items/?watch=true");

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

    /**
     * Renders a resource with a raw JSON array whose tokens are separated by CR, LF and CRLF,
     * which JSON allows as whitespace, followed by U+2028 and multi-byte characters.
     */
    private static Object withLineBreaks(Resource resource) {
        ObjectNode node = ((ObjectNode) resource.body()).deepCopy();
        node.putRawValue("lines", new RawValue("[\r\"cr\",\n\"lf\",\r\n\"crlf\",\"\u2028\","
                + "\"\u00e9\u20ac\ud83d\ude00\"]"));
        return node;
    }
}
