package io.ssewatch.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tests of {@link WatchClient} against {@link FakeSseServer}. */
class WatchClientTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(5);
    /** How long tests watch for something that must not happen, such as a reconnect. */
    private static final Duration QUIET = Duration.ofMillis(500);

    private final List<WatchClient<?>> clients = new ArrayList<>();
    private FakeSseServer server;
    private RecordingListener<JsonNode> listener;

    @BeforeEach
    void startServer() throws IOException {
        server = new FakeSseServer();
        listener = new RecordingListener<>();
    }

    @AfterEach
    void closeClientsAndServer() {
        clients.forEach(WatchClient::close);
        server.close();
    }

    /** Returns a builder for the fake server with short backoffs and the recording listener. */
    private WatchClient.Builder<JsonNode> builder(String path) {
        return WatchClient.builder(server.uri(path))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .listener(listener);
    }

    /** Starts a client and closes it after the test. */
    private <T> WatchClient<T> start(WatchClient.Builder<T> builder) {
        WatchClient<T> client = builder.start();
        clients.add(client);
        return client;
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static String event(String type, String id, String data) {
        return "event: " + type + "\nid: " + id + "\ndata: " + data + "\n\n";
    }

    /** Starts a stream on the next request and sends a snapshot with {@code retry: 10}. */
    private FakeSseServer.Exchange streamSnapshot(String id, String data)
            throws InterruptedException {
        FakeSseServer.Exchange exchange = server.nextExchange();
        exchange.startStream();
        exchange.send("retry: 10\n" + event("snapshot", id, data));
        return exchange;
    }

    private static WatchStoppedException stopReason(RecordingListener.Call call) {
        return (WatchStoppedException) call.first();
    }

    @Test
    void firstSync_fillsCacheAndReportsSnapshot() throws Exception {
        WatchClient<JsonNode> client = start(builder("/volumes/"));
        FakeSseServer.Exchange exchange = server.nextExchange();
        exchange.startStream();

        exchange.send(event("snapshot", "r1", "[{\"id\":\"b\",\"n\":1},{\"id\":\"a\",\"n\":2}]"));

        assertThat(client.awaitSynced(SYNC_TIMEOUT)).as("synced").isTrue();
        assertThat(client.resources()).containsExactly(
                Map.entry("b", json("{\"id\":\"b\",\"n\":1}")),
                Map.entry("a", json("{\"id\":\"a\",\"n\":2}")));
        assertThat(client.get("a")).contains(json("{\"id\":\"a\",\"n\":2}"));
        assertThat(client.lastEventId()).contains("r1");
        assertThat(listener.next("snapshot").first()).isEqualTo(client.resources());
        assertThat(exchange.query()).isEqualTo("watch=true");
        assertThat(exchange.header("Accept")).isEqualTo("text/event-stream");
        assertThat(exchange.header("Last-Event-ID")).as("first request's cursor").isNull();
    }

    @Test
    void changes_appliedAndReportedInOrder() throws Exception {
        WatchClient<JsonNode> client = start(builder("/volumes/"));
        FakeSseServer.Exchange exchange =
                streamSnapshot("r1", "[{\"id\":\"a\",\"n\":1},{\"id\":\"b\",\"n\":1}]");
        listener.next("snapshot");

        exchange.send(event("created", "r2", "{\"id\":\"c\",\"n\":1}")
                + event("updated", "r3", "{\"id\":\"a\",\"n\":2}")
                + event("deleted", "r4", "{\"id\":\"b\",\"n\":9}"));

        RecordingListener.Call created = listener.next("created");
        assertThat(created.id()).isEqualTo("c");
        assertThat(created.first()).isEqualTo(json("{\"id\":\"c\",\"n\":1}"));
        RecordingListener.Call updated = listener.next("updated");
        assertThat(updated.id()).isEqualTo("a");
        assertThat(updated.first()).as("previous").isEqualTo(json("{\"id\":\"a\",\"n\":1}"));
        assertThat(updated.second()).as("current").isEqualTo(json("{\"id\":\"a\",\"n\":2}"));
        RecordingListener.Call deleted = listener.next("deleted");
        assertThat(deleted.id()).isEqualTo("b");
        assertThat(deleted.first()).as("last state from the event")
                .isEqualTo(json("{\"id\":\"b\",\"n\":9}"));
        assertThat(client.resources()).containsExactly(
                Map.entry("a", json("{\"id\":\"a\",\"n\":2}")),
                Map.entry("c", json("{\"id\":\"c\",\"n\":1}")));
        assertThat(client.lastEventId()).contains("r4");
    }

    @Test
    void listener_seesCacheWithItsChange() throws Exception {
        Map<String, Boolean> presentInCache = new ConcurrentHashMap<>();
        AtomicReference<WatchClient<JsonNode>> self = new AtomicReference<>();
        RecordingListener<JsonNode> checking = new RecordingListener<>() {
            @Override
            public void onCreated(String id, JsonNode resource) {
                presentInCache.put("created " + id, self.get().get(id).isPresent());
                super.onCreated(id, resource);
            }

            @Override
            public void onDeleted(String id, JsonNode lastState) {
                presentInCache.put("deleted " + id, self.get().get(id).isPresent());
                super.onDeleted(id, lastState);
            }
        };
        self.set(start(builder("/volumes/").listener(checking)));
        FakeSseServer.Exchange exchange = streamSnapshot("r1", "[]");
        checking.next("snapshot");

        exchange.send(event("created", "r2", "{\"id\":\"c\"}")
                + event("deleted", "r3", "{\"id\":\"c\"}"));
        checking.next("created");
        checking.next("deleted");

        assertThat(presentInCache).containsEntry("created c", true);
        assertThat(presentInCache).containsEntry("deleted c", false);
    }

    @Test
    void reconnect_sendsLastEventIdIncludingBookmark() throws Exception {
        WatchClient<JsonNode> client = start(builder("/volumes/"));
        FakeSseServer.Exchange first = streamSnapshot("r1", "[{\"id\":\"a\",\"n\":1}]");
        listener.next("snapshot");
        first.send(event("created", "r2", "{\"id\":\"b\",\"n\":1}"));
        listener.next("created");
        first.send("id: r3\n\n");
        first.end();

        FakeSseServer.Exchange second = server.nextExchange();
        assertThat(second.header("Last-Event-ID")).isEqualTo("r3");
        second.startStream();
        second.send(event("updated", "r4", "{\"id\":\"a\",\"n\":2}"));

        assertThat(listener.next("updated").second()).isEqualTo(json("{\"id\":\"a\",\"n\":2}"));
        assertThat(client.lastEventId()).contains("r4");
        assertThat(client.resources()).containsOnlyKeys("a", "b");
        listener.assertNoCallWithin(QUIET);
    }

    @Test
    void freshSnapshot_reportedAsDifferences() throws Exception {
        WatchClient<JsonNode> client = start(builder("/volumes/"));
        FakeSseServer.Exchange first = streamSnapshot("r1",
                "[{\"id\":\"a\",\"n\":1},{\"id\":\"b\",\"n\":1},{\"id\":\"c\",\"n\":1}]");
        listener.next("snapshot");
        first.end();

        FakeSseServer.Exchange second = server.nextExchange();
        assertThat(second.header("Last-Event-ID")).isEqualTo("r1");
        second.startStream();
        second.send(event("snapshot", "r9",
                "[{\"id\":\"a\",\"n\":1},{\"id\":\"b\",\"n\":2},{\"id\":\"d\",\"n\":1}]"));

        RecordingListener.Call deleted = listener.next("deleted");
        assertThat(deleted.id()).isEqualTo("c");
        assertThat(deleted.first()).as("last cached state")
                .isEqualTo(json("{\"id\":\"c\",\"n\":1}"));
        RecordingListener.Call updated = listener.next("updated");
        assertThat(updated.id()).isEqualTo("b");
        assertThat(updated.first()).isEqualTo(json("{\"id\":\"b\",\"n\":1}"));
        assertThat(updated.second()).isEqualTo(json("{\"id\":\"b\",\"n\":2}"));
        assertThat(listener.next("created").id()).isEqualTo("d");
        listener.assertNoCallWithin(QUIET);
        assertThat(client.resources()).containsExactly(
                Map.entry("a", json("{\"id\":\"a\",\"n\":1}")),
                Map.entry("b", json("{\"id\":\"b\",\"n\":2}")),
                Map.entry("d", json("{\"id\":\"d\",\"n\":1}")));
    }

    @Test
    void notFound_stopsWithStatusAndDetail() throws Exception {
        WatchClient<JsonNode> client = start(builder("/pools/p9/volumes/"));

        server.nextExchange().respond(404, "{\"detail\": \"pool p9 not found\"}");

        assertThatThrownBy(() -> client.awaitSynced(SYNC_TIMEOUT))
                .isInstanceOfSatisfying(WatchStoppedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(WatchStoppedException.Reason.REJECTED);
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.detail()).contains("pool p9 not found");
                });
        WatchStoppedException reason = stopReason(listener.next("stopped"));
        assertThat(reason.statusCode()).isEqualTo(404);
        assertThat(client.stopCause()).containsSame(reason);
        listener.assertNoCallWithin(QUIET);
        assertThat(server.requestCount()).as("requests after a 404").isEqualTo(1);
    }

    @Test
    void notFoundAfterSync_reportsEveryResourceDeleted() throws Exception {
        WatchClient<JsonNode> client = start(builder("/pools/p1/volumes/"));
        streamSnapshot("r1", "[{\"id\":\"a\"},{\"id\":\"b\"}]").end();
        listener.next("snapshot");

        server.nextExchange().respond(404, "{\"detail\": \"pool p1 not found\"}");

        assertThat(listener.next("deleted").id()).isEqualTo("a");
        assertThat(listener.next("deleted").id()).isEqualTo("b");
        listener.next("stopped");
        assertThat(client.resources()).isEmpty();
    }

    @Test
    void forbidden_stopsAndKeepsCache() throws Exception {
        WatchClient<JsonNode> client = start(builder("/volumes/"));
        streamSnapshot("r1", "[{\"id\":\"a\"}]").end();
        listener.next("snapshot");

        server.nextExchange().respond(403, "{\"detail\": \"token expired\"}");

        WatchStoppedException reason = stopReason(listener.next("stopped"));
        assertThat(reason.statusCode()).isEqualTo(403);
        assertThat(reason.detail()).contains("token expired");
        assertThat(client.resources()).containsOnlyKeys("a");
    }

    @Test
    void wrongContentType_stops() throws Exception {
        WatchClient<JsonNode> client = start(builder("/volumes/"));

        server.nextExchange().respond(200, "[]");

        WatchStoppedException reason = stopReason(listener.next("stopped"));
        assertThat(reason.statusCode()).isEqualTo(200);
        assertThat(reason.getMessage()).contains("application/json");
        assertThat(client.isSynced()).isFalse();
    }

    @Test
    void detailWatch_stopsAfterDeleted() throws Exception {
        WatchClient<JsonNode> client = start(builder("/volumes/v1/"));
        FakeSseServer.Exchange exchange = streamSnapshot("r1", "{\"id\":\"v1\",\"n\":1}");
        listener.next("snapshot");
        assertThat(client.resources()).containsOnlyKeys("v1");

        exchange.send(event("updated", "r2", "{\"id\":\"v1\",\"n\":2}")
                + event("deleted", "r3", "{\"id\":\"v1\",\"n\":2}"));
        exchange.end();

        listener.next("updated");
        assertThat(listener.next("deleted").id()).isEqualTo("v1");
        assertThat(stopReason(listener.next("stopped")).reason())
                .isEqualTo(WatchStoppedException.Reason.RESOURCE_DELETED);
        assertThat(client.resources()).isEmpty();
        listener.assertNoCallWithin(QUIET);
        assertThat(server.requestCount()).as("requests after the deletion").isEqualTo(1);
    }

    @Test
    void retryField_setsReconnectDelay() throws Exception {
        start(builder("/volumes/"));
        FakeSseServer.Exchange first = server.nextExchange();
        first.startStream();
        first.send("retry: 1000\n" + event("snapshot", "r1", "[]"));
        listener.next("snapshot");
        long endedNanos = System.nanoTime();
        first.end();

        FakeSseServer.Exchange second = server.nextExchange();

        long delayMillis = TimeUnit.NANOSECONDS.toMillis(second.receivedNanos - endedNanos);
        assertThat(delayMillis).as("reconnect delay after retry: 1000, in ms")
                .isBetween(1000L, 3000L);
    }

    @Test
    void tooManyRequests_honoursRetryAfter() throws Exception {
        WatchClient<JsonNode> client = start(builder("/volumes/"));
        FakeSseServer.Exchange first = server.nextExchange();
        long respondedNanos = System.nanoTime();
        first.respond(429, "{\"detail\": \"watch limit\"}", Map.of("Retry-After", "1"));
        listener.next("error");

        FakeSseServer.Exchange second = server.nextExchange();

        long delayMillis = TimeUnit.NANOSECONDS.toMillis(second.receivedNanos - respondedNanos);
        assertThat(delayMillis).as("reconnect delay after Retry-After: 1, in ms")
                .isBetween(1000L, 3000L);
        assertThat(client.stopCause()).isEmpty();
    }

    @Test
    void quietConnection_presumedDeadAndReplaced() throws Exception {
        start(builder("/volumes/").pingTimeout(Duration.ofMillis(300)));
        FakeSseServer.Exchange first = streamSnapshot("r1", "[{\"id\":\"a\"}]");
        listener.next("snapshot");

        assertThat(listener.next("error").first()).isInstanceOf(HttpTimeoutException.class);
        FakeSseServer.Exchange second = server.nextExchange();
        assertThat(second.header("Last-Event-ID")).isEqualTo("r1");
        await("the server sees the dead connection closed").atMost(Duration.ofSeconds(5))
                .until(() -> !first.probe());
    }

    @Test
    void pings_keepConnectionAlive() throws Exception {
        start(builder("/volumes/").pingTimeout(Duration.ofMillis(300)));
        FakeSseServer.Exchange exchange = streamSnapshot("r1", "[]");
        listener.next("snapshot");

        // Pings every 100 ms for 1.2 s, four times the ping timeout. The sleep paces the
        // server; nothing waits for an event with it.
        for (int i = 0; i < 12; i++) {
            exchange.send(": ping\n\n");
            Thread.sleep(100);
        }

        listener.assertNoCallWithin(Duration.ofMillis(100));
        assertThat(server.requestCount()).as("requests while pinged").isEqualTo(1);
    }

    @Test
    void unavailableEvent_reportedAndResumed() throws Exception {
        start(builder("/volumes/"));
        FakeSseServer.Exchange first = streamSnapshot("r1", "[]");
        listener.next("snapshot");

        first.send("event: unavailable\ndata: {\"detail\": \"store unreachable\"}\n\n");

        Exception error = (Exception) listener.next("error").first();
        assertThat(error).hasMessageContaining("store unreachable");
        assertThat(server.nextExchange().header("Last-Event-ID")).isEqualTo("r1");
    }

    @Test
    void serverError_retriedUntilStream() throws Exception {
        WatchClient<JsonNode> client = start(builder("/volumes/"));

        server.nextExchange().respond(503, "{\"detail\": \"warming up\"}");

        Exception error = (Exception) listener.next("error").first();
        assertThat(error).hasMessageContaining("503").hasMessageContaining("warming up");
        streamSnapshot("r1", "[{\"id\":\"a\"}]");
        assertThat(client.awaitSynced(SYNC_TIMEOUT)).isTrue();
        assertThat(client.stopCause()).isEmpty();
    }

    @Test
    void invalidEvent_reconnectsFromLastGoodId() throws Exception {
        WatchClient<JsonNode> client = start(builder("/volumes/"));
        FakeSseServer.Exchange first = streamSnapshot("r1", "[]");
        listener.next("snapshot");

        first.send(event("created", "r2", "{\"name\":\"no id\"}")
                + event("created", "r3", "{\"id\":\"b\"}"));

        Exception error = (Exception) listener.next("error").first();
        assertThat(error).hasMessageContaining("\"id\"").hasMessageContaining("r2");
        assertThat(server.nextExchange().header("Last-Event-ID")).isEqualTo("r1");
        assertThat(client.resources()).as("events after the invalid one").isEmpty();
    }

    @Test
    void headerSupplier_calledForEveryConnection() throws Exception {
        AtomicInteger tokens = new AtomicInteger();
        start(builder("/volumes/")
                .headers(() -> Map.of("Authorization", "Bearer t" + tokens.incrementAndGet())));
        FakeSseServer.Exchange first = streamSnapshot("r1", "[]");
        assertThat(first.header("Authorization")).isEqualTo("Bearer t1");
        listener.next("snapshot");
        first.end();

        FakeSseServer.Exchange second = server.nextExchange();

        assertThat(second.header("Authorization")).isEqualTo("Bearer t2");
    }

    @Test
    void listenerException_doesNotStopDelivery() throws Exception {
        RecordingListener<JsonNode> throwing = new RecordingListener<>() {
            @Override
            public void onCreated(String id, JsonNode resource) {
                super.onCreated(id, resource);
                throw new IllegalStateException("listener bug for " + id);
            }
        };
        WatchClient<JsonNode> client = start(builder("/volumes/").listener(throwing));
        FakeSseServer.Exchange exchange = streamSnapshot("r1", "[]");
        throwing.next("snapshot");

        exchange.send(event("created", "r2", "{\"id\":\"a\"}")
                + event("created", "r3", "{\"id\":\"b\"}"));

        assertThat(throwing.next("created").id()).isEqualTo("a");
        assertThat(throwing.next("created").id()).isEqualTo("b");
        assertThat(client.resources()).containsOnlyKeys("a", "b");
    }

    @Test
    void executor_keepsOrderAcrossThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            start(builder("/volumes/").executor(pool));
            FakeSseServer.Exchange exchange = streamSnapshot("r0", "[]");
            listener.next("snapshot");

            StringBuilder frames = new StringBuilder();
            for (int i = 1; i <= 200; i++) {
                frames.append(event("created", "r" + i, "{\"id\":\"v" + i + "\"}"));
            }
            exchange.send(frames.toString());

            for (int i = 1; i <= 200; i++) {
                assertThat(listener.next("created").id()).isEqualTo("v" + i);
            }
            assertThat(listener.threadNames).allMatch(name -> name.startsWith("pool-"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void typedMapping_mapsResources() throws Exception {
        RecordingListener<Volume> volumes = new RecordingListener<>();
        WatchClient<Volume> client = start(
                WatchClient.builder(server.uri("/volumes/"), Volume.class).listener(volumes));
        FakeSseServer.Exchange exchange = streamSnapshot("r1", "[{\"id\":\"a\",\"sizeGb\":10}]");
        volumes.next("snapshot");

        exchange.send(event("updated", "r2", "{\"id\":\"a\",\"sizeGb\":20}"));

        RecordingListener.Call updated = volumes.next("updated");
        assertThat(updated.first()).isEqualTo(new Volume("a", 10));
        assertThat(updated.second()).isEqualTo(new Volume("a", 20));
        assertThat(client.get("a")).contains(new Volume("a", 20));
    }

    record Volume(String id, int sizeGb) {
    }

    @Test
    void uri_existingQueryKept() throws Exception {
        start(builder("/volumes/?status=online"));

        assertThat(server.nextExchange().query()).isEqualTo("status=online&watch=true");
    }
}
