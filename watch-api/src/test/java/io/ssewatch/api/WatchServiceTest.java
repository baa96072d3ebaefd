package io.ssewatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssewatch.api.adapter.WatchConnection;
import io.ssewatch.api.adapter.WatchRequest;
import io.ssewatch.api.memory.InMemoryStore;
import io.ssewatch.testing.RecordingSink;
import io.ssewatch.testing.SseEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watch semantics, through the adapter SPI with a recording sink and no HTTP server. */
class WatchServiceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration QUIET = Duration.ofMillis(300);

    private final InMemoryStore store = new InMemoryStore();
    private final WatchStats stats = new WatchStats();
    private final AtomicInteger renders = new AtomicInteger();
    private WatchService service;

    /** Hides the "heartbeat" field, so that changes to it alone are invisible. */
    private final Renderer renderer = resource -> {
        renders.incrementAndGet();
        ObjectNode copy = resource.body().deepCopy();
        copy.remove("heartbeat");
        return copy;
    };

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        store.close();
    }

    private WatchService service(Consumer<WatchService.Builder> options) {
        WatchService.Builder builder = WatchService.builder(store).metrics(stats)
                .route(WatchRoute.list("/pools/{pool}/volumes/").collection("volumes")
                        .scope((params, r) -> params.get("pool").equals(pool(r)))
                        .renderer(renderer).build())
                .route(WatchRoute.detail("/pools/{pool}/volumes/{volume}/").collection("volumes")
                        .scope((params, r) -> params.get("pool").equals(pool(r)))
                        .renderer(renderer).build());
        options.accept(builder);
        service = builder.build();
        return service;
    }

    private WatchService service() {
        return service(builder -> { });
    }

    private static String pool(Resource resource) {
        return resource.body().path("pool").asText();
    }

    private static ObjectNode volume(String id, String pool, int size) {
        return MAPPER.createObjectNode().put("id", id).put("pool", pool).put("size", size);
    }

    private Revision put(String id, String pool, int size) {
        return store.put("volumes", id, volume(id, pool, size));
    }

    private RecordingSink open(String path, String query, String... headers) {
        RecordingSink sink = new RecordingSink();
        Map<String, String> headerMap = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            headerMap.put(headers[i].toLowerCase(), headers[i + 1]);
        }
        WatchRequest request = new WatchRequest("GET", path, query,
                name -> headerMap.get(name.toLowerCase()), null);
        Optional<WatchConnection> connection = service.open(request, sink);
        assertThat(connection).as("%s?%s is a watch", path, query).isPresent();
        return sink;
    }

    private static String event(String name, Revision revision, String json) {
        return "event: " + name + "\nid: " + revision.token() + "\ndata: " + json + "\n\n";
    }

    private static String json(JsonNode node) {
        return node.toString();
    }

    @Test
    void snapshotThenDeltas_exactWireText() throws Exception {
        Revision first = put("v1", "p1", 1);
        service();

        RecordingSink sink = open("/pools/p1/volumes/", "watch=true");

        assertThat(sink.nextFrame()).isEqualTo("event: snapshot\nid: " + first.token()
                + "\nretry: 3000\ndata: [" + json(volume("v1", "p1", 1)) + "]\n\n");
        assertThat(sink.headers()).containsEntry("Content-Type", "text/event-stream; charset=utf-8")
                .containsEntry("Cache-Control", "no-store").containsEntry("X-Accel-Buffering", "no")
                .doesNotContainKey("Connection");

        Revision created = put("v2", "p1", 2);
        assertThat(sink.nextFrame()).isEqualTo(event("created", created, json(volume("v2", "p1", 2))));
        Revision updated = put("v2", "p1", 3);
        assertThat(sink.nextFrame()).isEqualTo(event("updated", updated, json(volume("v2", "p1", 3))));
        Revision deleted = store.delete("volumes", "v2");
        assertThat(sink.nextFrame()).isEqualTo(event("deleted", deleted, json(volume("v2", "p1", 3))));
        sink.assertNoViolations();
    }

    @Test
    void listSnapshotIsInRouteOrder() throws Exception {
        put("b", "p1", 1);
        put("a", "p1", 1);
        put("c", "p2", 1);
        service();

        SseEvent snapshot = SseEvent.parse(open("/pools/p1/volumes/", "watch=true").nextFrame());

        assertThat(snapshot.data()).isEqualTo("[" + json(volume("a", "p1", 1)) + ","
                + json(volume("b", "p1", 1)) + "]");
    }

    @Test
    void scopeEnterGivesCreatedAndLeaveGivesDeleted() throws Exception {
        put("v1", "p2", 1);
        service();
        RecordingSink sink = open("/pools/p1/volumes/", "watch=true");
        assertThat(sink.nextEvent().data()).isEqualTo("[]");

        Revision entered = put("v1", "p1", 1);
        assertThat(sink.nextFrame()).isEqualTo(event("created", entered, json(volume("v1", "p1", 1))));
        Revision left = put("v1", "p2", 5);
        assertThat(sink.nextFrame()).isEqualTo(event("deleted", left, json(volume("v1", "p2", 5))));
        put("v1", "p2", 6);
        sink.assertNoEvent(QUIET);
    }

    @Test
    void detailSnapshotIsObjectAndDeletedEndsStream() throws Exception {
        Revision start = put("v1", "p1", 1);
        service();
        RecordingSink sink = open("/pools/p1/volumes/v1/", "watch=true");

        assertThat(sink.nextFrame()).isEqualTo("event: snapshot\nid: " + start.token()
                + "\nretry: 3000\ndata: " + json(volume("v1", "p1", 1)) + "\n\n");
        put("v2", "p1", 1);
        Revision updated = put("v1", "p1", 2);
        assertThat(sink.nextFrame()).isEqualTo(event("updated", updated, json(volume("v1", "p1", 2))));
        Revision deleted = store.delete("volumes", "v1");
        assertThat(sink.nextFrame()).isEqualTo(event("deleted", deleted, json(volume("v1", "p1", 2))));

        sink.awaitEnd();
        assertThat(sink.end()).isEqualTo("closed");
        await("watch released").atMost(SseTestWait.WAIT).until(() -> stats.openWatches() == 0);
        sink.assertNoViolations();
    }

    @Test
    void detailOfMissingResourceIs404BeforeStream() throws Exception {
        put("v1", "p2", 1);
        service();

        RecordingSink missing = open("/pools/p1/volumes/nope/", "watch=true");
        RecordingSink otherPool = open("/pools/p1/volumes/v1/", "watch=true");

        missing.awaitEnd();
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.headers()).containsEntry("Content-Type", "application/json");
        assertThat(missing.body()).isEqualTo("{\"detail\":\"not found: /pools/p1/volumes/nope/\"}");
        otherPool.awaitEnd();
        assertThat(otherPool.status()).isEqualTo(404);
    }

    @Test
    void updateInvisibleAfterRenderingIsSuppressed() throws Exception {
        store.put("volumes", "v1", volume("v1", "p1", 1).put("heartbeat", 1));
        service();
        RecordingSink sink = open("/pools/p1/volumes/", "watch=true");
        sink.nextEvent();

        store.put("volumes", "v1", volume("v1", "p1", 1).put("heartbeat", 2));
        Revision visible = store.put("volumes", "v1", volume("v1", "p1", 2).put("heartbeat", 3));

        assertThat(sink.nextFrame()).isEqualTo(event("updated", visible, json(volume("v1", "p1", 2))));
    }

    @Test
    void changeRenderedOnceForManyWatches() throws Exception {
        put("v1", "p1", 1);
        service();
        List<RecordingSink> sinks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            RecordingSink sink = open("/pools/p1/volumes/", "watch=true");
            sink.nextEvent();
            sinks.add(sink);
        }
        int before = renders.get();

        Revision updated = put("v1", "p1", 2);

        for (RecordingSink sink : sinks) {
            assertThat(sink.nextFrame()).isEqualTo(event("updated", updated, json(volume("v1", "p1", 2))));
        }
        assertThat(renders.get() - before).as("renders of the new state").isEqualTo(1);
    }

    @Test
    void invalidWatchValueIs400() throws Exception {
        service();

        RecordingSink sink = open("/pools/p1/volumes/", "watch=maybe");

        assertThat(sink.status()).isEqualTo(400);
        assertThat(sink.body()).isEqualTo(
                "{\"detail\":\"watch: \\\"maybe\\\" is invalid (expected: true or false)\"}");
    }

    @Test
    void requestsThatAreNotWatchesPassThrough() {
        service();
        RecordingSink sink = new RecordingSink();

        assertThat(service.open(request("GET", "/pools/p1/volumes/", null), sink)).isEmpty();
        assertThat(service.open(request("GET", "/pools/p1/volumes/", "watch=false"), sink)).isEmpty();
        assertThat(service.open(request("POST", "/pools/p1/volumes/", "watch=true"), sink)).isEmpty();
        assertThat(service.open(request("GET", "/other/", "watch=true"), sink)).isEmpty();
        assertThat(sink.end()).isNull();
    }

    private static WatchRequest request(String method, String path, String query) {
        return new WatchRequest(method, path, query, name -> null, null);
    }

    @Test
    void clientGoneReleasesWatchAndIdleHubStops() throws Exception {
        put("v1", "p1", 1);
        service(b -> b.hubIdleTimeout(Duration.ofMillis(100)));
        RecordingSink sink = new RecordingSink();
        WatchConnection connection = service.open(
                request("GET", "/pools/p1/volumes/", "watch=true"), sink).orElseThrow();
        sink.nextEvent();
        assertThat(stats.openWatches()).isEqualTo(1);
        assertThat(stats.hubs()).isEqualTo(1);

        connection.clientGone(new java.io.EOFException("test"));

        await("watch released").atMost(SseTestWait.WAIT).until(() -> stats.openWatches() == 0);
        await("idle hub stopped").atMost(SseTestWait.WAIT).until(() -> stats.hubs() == 0);
        assertThat(service.activeCollections()).isEmpty();
    }

    @Test
    void storeUnavailableAnswers200WithRetryAndUnavailable() throws Exception {
        Store failing = new ForwardingStore(store) {
            @Override
            public CompletableFuture<Snapshot> readSnapshot(String collection) {
                return CompletableFuture.failedFuture(
                        new StoreUnavailableException("connection refused"));
            }
        };
        service = WatchService.builder(failing)
                .route(WatchRoute.list("/items/").collection("items").build()).build();

        RecordingSink sink = open("/items/", "watch=true");

        sink.awaitEnd();
        assertThat(sink.status()).isEqualTo(200);
        assertThat(sink.headers()).containsEntry("Content-Type", "text/event-stream; charset=utf-8");
        assertThat(sink.body()).isEqualTo("event: unavailable\nretry: 3000\n"
                + "data: {\"detail\":\"the store is unavailable, retrying\"}\n\n");
    }

    @Test
    void corsHeadersOnlyForAllowedOrigins() throws Exception {
        service(b -> b.cors(CorsPolicy.allowOrigins("https://console.example").allowCredentials()));

        RecordingSink allowed = open("/pools/p1/volumes/", "watch=true",
                "Origin", "https://console.example");
        RecordingSink other = open("/pools/p1/volumes/", "watch=true",
                "Origin", "https://evil.example");
        RecordingSink rejected = open("/pools/p1/volumes/", "watch=maybe",
                "Origin", "https://console.example");

        allowed.nextEvent();
        assertThat(allowed.headers())
                .containsEntry("Access-Control-Allow-Origin", "https://console.example")
                .containsEntry("Access-Control-Allow-Credentials", "true")
                .containsEntry("Vary", "Origin");
        other.nextEvent();
        assertThat(other.headers()).doesNotContainKey("Access-Control-Allow-Origin");
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.headers())
                .containsEntry("Access-Control-Allow-Origin", "https://console.example");
    }

    @Test
    void corsPreflightAllowsLastEventId() throws Exception {
        service(b -> b.cors(CorsPolicy.allowOrigins("*")));
        RecordingSink sink = new RecordingSink();

        service.open(new WatchRequest("OPTIONS", "/pools/p1/volumes/", "watch=true",
                name -> name.equalsIgnoreCase("Origin") ? "https://any.example" : null, null), sink);

        assertThat(sink.status()).isEqualTo(204);
        assertThat(sink.headers())
                .containsEntry("Access-Control-Allow-Origin", "https://any.example")
                .containsEntry("Access-Control-Allow-Methods", "GET")
                .containsEntry("Access-Control-Allow-Headers",
                        "Last-Event-ID, Authorization, Cache-Control");
    }

    @Test
    void corsOffLeavesPreflightToHost() {
        service();

        assertThat(service.open(request("OPTIONS", "/pools/p1/volumes/", "watch=true"),
                new RecordingSink())).isEmpty();
    }
}
