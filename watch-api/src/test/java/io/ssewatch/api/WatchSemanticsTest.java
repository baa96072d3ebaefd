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
import io.ssewatch.testing.StateReplica;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Resume, bookmarks, transactions, slow consumers, lifetime, authorization, parents, limits
 * and races, through the adapter SPI. Each test names the failure it would catch.
 */
class WatchSemanticsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(300);

    private final InMemoryStore store = new InMemoryStore();
    private final WatchStats stats = new WatchStats();
    private WatchService service;

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        store.close();
    }

    private void start(Consumer<WatchService.Builder> options) {
        start(store, options);
    }

    private void start(Store backing, Consumer<WatchService.Builder> options) {
        WatchService.Builder builder = WatchService.builder(backing).metrics(stats)
                .route(WatchRoute.list("/pools/{pool}/volumes/")
                        .collection(p -> "pools/" + p.get("pool") + "/volumes")
                        .parents(p -> List.of(new ResourceRef("pools", p.get("pool"))))
                        .build())
                .route(WatchRoute.list("/items/").collection("items")
                        .scope((p, r) -> !r.body().path("hidden").asBoolean())
                        .build());
        options.accept(builder);
        service = builder.build();
    }

    private static ObjectNode item(String id, int version) {
        return MAPPER.createObjectNode().put("id", id).put("version", version);
    }

    private static long order(String token) {
        return Long.parseLong(token.substring(0, token.indexOf('-')));
    }

    private RecordingSink open(String path, String query, String... headers) {
        RecordingSink sink = new RecordingSink();
        connect(sink, path, query, headers);
        return sink;
    }

    private WatchConnection connect(RecordingSink sink, String path, String query,
            String... headers) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i].toLowerCase(), headers[i + 1]);
        }
        WatchRequest request = new WatchRequest("GET", path, query,
                name -> map.get(name.toLowerCase()), null);
        return service.open(request, sink).orElseThrow();
    }

    private static String event(String name, Revision revision, JsonNode body) {
        return "event: " + name + "\nid: " + revision.token() + "\ndata: " + body + "\n\n";
    }

    // ---- resume ----

    /** Catches a resume that repeats or skips events instead of sending exactly the missed. */
    @Test
    void resumeWithinHistorySendsOnlyMissedEvents() throws Exception {
        start(b -> { });
        RecordingSink first = open("/items/", "watch=true");
        first.nextEvent();
        Revision seen = store.put("items", "a", item("a", 1));
        first.nextEvent();
        Revision missed1 = store.put("items", "a", item("a", 2));
        Revision missed2 = store.put("items", "b", item("b", 1));

        RecordingSink resumed = open("/items/", "watch=true", "Last-Event-ID", seen.token());

        assertThat(resumed.nextFrame()).isEqualTo("retry: 3000\n\n");
        assertThat(resumed.nextFrame()).isEqualTo(event("updated", missed1, item("a", 2)));
        assertThat(resumed.nextFrame()).isEqualTo(event("created", missed2, item("b", 1)));
        resumed.assertNoEvent(QUIET);
    }

    @Test
    void resumeOlderThanHistoryGetsFreshSnapshot() throws Exception {
        start(b -> b.history(2, Duration.ofMinutes(5)));
        RecordingSink first = open("/items/", "watch=true");
        first.nextEvent();
        Revision old = store.put("items", "a", item("a", 1));
        store.put("items", "a", item("a", 2));
        store.put("items", "a", item("a", 3));
        Revision last = store.put("items", "a", item("a", 4));
        await("hub applied every change").atMost(WAIT).until(() ->
                first.drainFrames().stream().anyMatch(f -> f.contains(last.token())));

        RecordingSink resumed = open("/items/", "watch=true", "Last-Event-ID", old.token());

        SseEvent snapshot = resumed.nextEvent();
        assertThat(snapshot.event()).isEqualTo("snapshot");
        assertThat(order(snapshot.id())).isGreaterThanOrEqualTo(order(last.token()));
    }

    @Test
    void cursorFromEarlierServerGetsFreshSnapshot() throws Exception {
        Revision foreign;
        try (InMemoryStore before = new InMemoryStore()) {
            foreign = before.put("items", "x", item("x", 1));
        }
        store.put("items", "a", item("a", 1));
        start(b -> { });

        SseEvent first = open("/items/", "watch=true", "Last-Event-ID", foreign.token()).nextEvent();

        assertThat(first.event()).isEqualTo("snapshot");
        assertThat(first.data()).isEqualTo("[" + item("a", 1) + "]");
    }

    /** Catches a cursor that was never issued being treated as "resume from the start". */
    @Test
    void cursorNeverIssuedIs400() throws Exception {
        start(b -> { });
        Revision current = store.put("items", "a", item("a", 1));
        String epoch = current.token().substring(current.token().indexOf('-'));

        RecordingSink malformed = open("/items/", "watch=true", "Last-Event-ID", "abc");
        RecordingSink ahead = open("/items/", "watch=true&lastEventId=99999" + epoch);

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body()).contains("Last-Event-ID").contains("\\\"abc\\\" is malformed");
        assertThat(ahead.status()).isEqualTo(400);
        assertThat(ahead.body()).contains("lastEventId").contains("ahead of this server");
    }

    @Test
    void lastEventIdQueryParameterResumesAndHeaderWins() throws Exception {
        start(b -> { });
        open("/items/", "watch=true").nextEvent();
        Revision first = store.put("items", "a", item("a", 1));
        Revision second = store.put("items", "a", item("a", 2));

        RecordingSink byQuery = open("/items/", "watch=true&lastEventId=" + first.token());
        RecordingSink headerWins = open("/items/", "watch=true&lastEventId=" + first.token(),
                "Last-Event-ID", second.token());

        assertThat(byQuery.nextFrame()).isEqualTo("retry: 3000\n\n");
        assertThat(byQuery.nextFrame()).isEqualTo(event("updated", second, item("a", 2)));
        assertThat(headerWins.nextFrame()).isEqualTo("retry: 3000\n\n");
        headerWins.assertNoEvent(QUIET);
    }

    // ---- bookmarks and transactions ----

    /** Catches a quiet watcher whose resume cursor falls behind the hub's history. */
    @Test
    void quietStreamGetsBookmarkAfterOutOfScopeChange() throws Exception {
        start(b -> b.pingInterval(Duration.ofMillis(50)));
        RecordingSink sink = open("/items/", "watch=true");
        sink.nextEvent();
        ObjectNode hidden = item("h", 1).put("hidden", true);

        Revision invisible = store.put("items", "h", hidden);

        SseEvent bookmark = sink.nextEvent();
        assertThat(bookmark.raw()).isEqualTo("id: " + invisible.token() + "\n\n");
        assertThat(bookmark.isDispatched()).isFalse();
    }

    /** Catches a ping or bookmark slipping between the changes of one transaction. */
    @Test
    void transactionChangesArriveTogether() throws Exception {
        start(b -> b.pingInterval(Duration.ofMillis(10)));
        RecordingSink sink = open("/items/", "watch=true");
        sink.nextEvent();

        for (int t = 0; t < 100; t++) {
            int version = t;
            store.write(tx -> {
                tx.put("items", "a", item("a", version));
                tx.put("items", "b", item("b", version));
                tx.put("items", "c", item("c", version));
            });
        }

        int events = 0;
        String previousEventId = null;
        while (events < 300) {
            SseEvent frame = SseEvent.parse(sink.nextFrame());
            if (frame.isDispatched()) {
                if (events % 3 != 0) {
                    assertThat(order(frame.id())).as("change %d follows its transaction", events)
                            .isEqualTo(order(previousEventId) + 1);
                }
                previousEventId = frame.id();
                events++;
            } else {
                assertThat(events % 3).as("ping or bookmark between transactions only: %s",
                        frame.raw()).isZero();
            }
        }
    }

    // ---- slow consumers ----

    /** Catches a slow watcher that loses changes instead of converging after coalescing. */
    @Test
    void slowConsumerCoalescesAndConverges() throws Exception {
        start(b -> b.buffer(4, 1 << 20));
        RecordingSink sink = open("/items/", "watch=true");
        StateReplica replica = new StateReplica(WatchSemanticsTest::order);
        replica.apply(sink.nextEvent());
        sink.pause();
        store.put("items", "first", item("first", 0));

        for (int i = 0; i < 200; i++) {
            store.put("items", "r" + (i % 5), item("r" + (i % 5), i));
            if (i % 7 == 0) {
                store.delete("items", "r" + (i % 5));
            }
        }
        Revision last = store.put("items", "last", item("last", 1));
        await("coalescing started").atMost(WAIT).until(() -> stats.eventsCoalesced() > 0);
        sink.resume();

        await("replica caught up").atMost(WAIT).until(() -> {
            sink.drainFrames().forEach(f -> replica.apply(SseEvent.parse(f)));
            return last.token().equals(replica.lastId());
        });
        Map<String, JsonNode> expected = new HashMap<>();
        store.readSnapshot("items").get().resources().forEach(r -> expected.put(r.id(), r.body()));
        assertThat(replica.state()).isEqualTo(expected);
        replica.assertIdsIncreasing();
        sink.assertNoViolations();
    }

    /** Catches one stalled client holding unbounded memory or stalling the others. */
    @Test
    void stalledConsumerIsCutOffAndOthersContinue() throws Exception {
        start(b -> b.buffer(2, 1000).maxBufferBytes(4000));
        RecordingSink stalled = open("/items/", "watch=true");
        RecordingSink healthy = open("/items/", "watch=true");
        stalled.nextEvent();
        healthy.nextEvent();
        stalled.pause();
        String padding = "x".repeat(500);

        for (int i = 0; i < 40 && stalled.end() == null; i++) {
            Revision written = store.put("items", "r" + i, item("r" + i, i).put("pad", padding));
            // The healthy watcher takes each event before the next write, so that only the
            // stalled one can fall behind.
            assertThat(healthy.nextEvent().id()).isEqualTo(written.token());
        }

        stalled.awaitEnd();
        assertThat(stalled.end()).startsWith("aborted");
        assertThat(stats.slowConsumersClosed()).isEqualTo(1);
        Revision after = store.put("items", "after", item("after", 1));
        assertThat(healthy.nextEvent().id()).isEqualTo(after.token());
        await("stalled watch released").atMost(WAIT).until(() -> stats.openWatches() == 1);
    }

    /** Catches a client that stops reading keeping its stream forever. */
    @Test
    void stuckWriteIsCutAfterWriteTimeout() throws Exception {
        start(b -> b.writeTimeout(Duration.ofMillis(100)));
        RecordingSink sink = open("/items/", "watch=true");
        sink.nextEvent();
        sink.pause();

        store.put("items", "a", item("a", 1));

        sink.awaitEnd();
        assertThat(sink.end()).startsWith("aborted").contains("did not complete within 100 ms");
        await().atMost(WAIT).until(() -> stats.openWatches() == 0);
    }

    // ---- lifetime and authorization ----

    @Test
    void streamEndsCleanlyAtMaxLifetime() throws Exception {
        start(b -> b.maxLifetime(Duration.ofMillis(200), 0));
        RecordingSink sink = open("/items/", "watch=true");
        sink.nextEvent();

        sink.awaitEnd();

        assertThat(sink.end()).isEqualTo("closed");
        sink.assertNoViolations();
    }

    @Test
    void deniedWatchAnswers401Or403BeforeStream() throws Exception {
        start(b -> b.authorizer((request, route, params) ->
                request.header("Authorization") == null
                        ? WatchDecision.unauthorized("missing bearer token")
                        : WatchDecision.forbidden("token may not watch " + request.path()),
                Duration.ofMinutes(1)));

        RecordingSink anonymous = open("/items/", "watch=true");
        RecordingSink forbidden = open("/items/", "watch=true", "Authorization", "Bearer x");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body()).isEqualTo("{\"detail\":\"missing bearer token\"}");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(stats.hubs()).isZero();
    }

    /** Catches credentials revoked on an open stream that keeps streaming. */
    @Test
    void revokedCredentialsEndOpenStream() throws Exception {
        AtomicBoolean revoked = new AtomicBoolean();
        start(b -> b.authorizer((request, route, params) -> revoked.get()
                ? WatchDecision.forbidden("revoked") : WatchDecision.allow("alice"),
                Duration.ofMillis(50)));
        RecordingSink sink = open("/items/", "watch=true");
        sink.nextEvent();

        revoked.set(true);

        sink.awaitEnd();
        assertThat(sink.end()).isEqualTo("closed");
        RecordingSink again = open("/items/", "watch=true");
        assertThat(again.status()).isEqualTo(403);
    }

    /** Catches replayed history bypassing the authorizer's resource filter. */
    @Test
    void resourceFilterAppliesToSnapshotReplayAndLive() throws Exception {
        start(b -> b.authorizer((request, route, params) -> WatchDecision.allow("bob")
                .withFilter(r -> !r.id().startsWith("secret")), Duration.ofMinutes(1)));
        store.put("items", "secret-1", item("secret-1", 1));
        store.put("items", "public-1", item("public-1", 1));
        RecordingSink sink = open("/items/", "watch=true");
        assertThat(sink.nextEvent().data()).isEqualTo("[" + item("public-1", 1) + "]");
        Revision cursor = store.put("items", "public-2", item("public-2", 1));
        sink.nextEvent();
        store.put("items", "secret-2", item("secret-2", 1));
        Revision visible = store.put("items", "public-3", item("public-3", 1));

        assertThat(sink.nextEvent().id()).isEqualTo(visible.token());
        RecordingSink resumed = open("/items/", "watch=true", "Last-Event-ID", cursor.token());
        assertThat(resumed.nextFrame()).isEqualTo("retry: 3000\n\n");
        assertThat(resumed.nextFrame()).isEqualTo(event("created", visible, item("public-3", 1)));
    }

    // ---- parents and limits ----

    @Test
    void missingParentAnswers404() throws Exception {
        start(b -> { });

        RecordingSink sink = open("/pools/nope/volumes/", "watch=true");

        sink.awaitEnd();
        assertThat(sink.status()).isEqualTo(404);
        await().atMost(WAIT).until(() -> stats.openWatches() == 0);
    }

    /** Catches a stream that outlives the parent it depends on. */
    @Test
    void deletedParentEndsStreamAndReconnectGets404() throws Exception {
        store.put("pools", "p1", item("p1", 1));
        store.put("pools/p1/volumes", "v1", item("v1", 1));
        start(b -> { });
        RecordingSink sink = open("/pools/p1/volumes/", "watch=true");
        assertThat(sink.nextEvent().data()).isEqualTo("[" + item("v1", 1) + "]");

        store.write(tx -> {
            tx.delete("pools/p1/volumes", "v1");
            tx.delete("pools", "p1");
        });

        sink.awaitEnd();
        assertThat(sink.end()).isEqualTo("closed");
        RecordingSink again = open("/pools/p1/volumes/", "watch=true");
        again.awaitEnd();
        assertThat(again.status()).isEqualTo(404);
    }

    @Test
    void watchLimitsAnswer200WithRetry() throws Exception {
        start(b -> b.maxWatches(2, 1).authorizer((request, route, params) ->
                WatchDecision.allow(request.header("User")), Duration.ofMinutes(1)));
        open("/items/", "watch=true", "User", "a").nextEvent();

        RecordingSink samePrincipal = open("/items/", "watch=true", "User", "a");
        open("/items/", "watch=true", "User", "b").nextEvent();
        RecordingSink overTotal = open("/items/", "watch=true", "User", "c");

        assertThat(samePrincipal.status()).isEqualTo(200);
        assertThat(samePrincipal.body()).startsWith("event: unavailable\nretry: 3000\n")
                .contains("principal a is at its limit of 1 watches");
        assertThat(overTotal.body()).contains("the server is at its limit of 2 watches");
        assertThat(stats.watchesRejected()).isEqualTo(2);
    }

    /** Catches a resource too large to send being dropped silently or sent at any size. */
    @Test
    void oversizedResourceIsReportedByName() throws Exception {
        start(b -> b.maxEventBytes(100));
        store.put("items", "big", item("big", 1).put("pad", "y".repeat(200)));
        RecordingSink sink = open("/items/", "watch=true");

        assertThat(sink.nextEvent().data()).isEqualTo("[]");
        SseEvent notice = sink.nextEvent();
        assertThat(notice.event()).isEqualTo("oversized");
        assertThat(MAPPER.readTree(notice.data()).get("id").asText()).isEqualTo("big");
        Revision live = store.put("items", "big2", item("big2", 1).put("pad", "z".repeat(200)));
        SseEvent liveNotice = sink.nextEvent();
        assertThat(liveNotice.event()).isEqualTo("oversized");
        assertThat(liveNotice.id()).isEqualTo(live.token());
    }

    // ---- races ----

    /** Catches a reconnect storm costing one store read per client instead of per hub. */
    @Test
    void reconnectStormReadsSnapshotOnce() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        Store counting = new ForwardingStore(store) {
            @Override
            public CompletableFuture<Snapshot> readSnapshot(String collection) {
                reads.incrementAndGet();
                return gate.thenCompose(x -> super.readSnapshot(collection));
            }
        };
        start(counting, b -> { });
        List<RecordingSink> sinks = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            sinks.add(open("/items/", "watch=true"));
        }

        gate.complete(null);

        for (RecordingSink sink : sinks) {
            assertThat(sink.nextEvent().event()).isEqualTo("snapshot");
        }
        assertThat(reads.get()).isEqualTo(1);
    }

    /** Catches a stale snapshot when a slow initial read races a write. */
    @Test
    void slowInitialReadRacingWriteLosesNothing() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        Store slow = new ForwardingStore(store) {
            @Override
            public CompletableFuture<Snapshot> readSnapshot(String collection) {
                CompletableFuture<Snapshot> read = super.readSnapshot(collection);
                return gate.thenCompose(x -> read);
            }
        };
        store.put("items", "a", item("a", 1));
        start(slow, b -> { });
        RecordingSink sink = open("/items/", "watch=true");

        Revision raced = store.put("items", "a", item("a", 2));
        gate.complete(null);

        // Either the snapshot already contains the write or an update follows it; the
        // watcher must never be left with version 1.
        StateReplica replica = new StateReplica(WatchSemanticsTest::order);
        await("watcher saw the raced write").atMost(WAIT).until(() -> {
            sink.drainFrames().forEach(f -> replica.apply(SseEvent.parse(f)));
            return replica.lastId() != null && order(replica.lastId()) >= order(raced.token());
        });
        assertThat(replica.state()).containsEntry("a", item("a", 2));
    }

    /**
     * Catches changes lost between snapshot and subscription, and one resource's events
     * reordered, while writers and new watchers race.
     */
    @Test
    void watchersOpeningDuringWritesConvergeToStore() throws Exception {
        start(b -> { });
        ExecutorService writers = Executors.newFixedThreadPool(3);
        CountDownLatch go = new CountDownLatch(1);
        for (int w = 0; w < 3; w++) {
            int writer = w;
            writers.submit(() -> {
                go.await();
                for (int i = 0; i < 300; i++) {
                    String id = "r" + ((writer + i) % 8);
                    if (i % 9 == 8) {
                        store.delete("items", id);
                    } else {
                        store.put("items", id, item(id, writer * 1000 + i));
                    }
                }
                return null;
            });
        }
        List<RecordingSink> sinks = new ArrayList<>();
        go.countDown();
        for (int i = 0; i < 20; i++) {
            sinks.add(open("/items/", "watch=true"));
        }
        writers.shutdown();
        assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        Revision last = store.put("items", "done", item("done", 1));
        Map<String, JsonNode> expected = new HashMap<>();
        store.readSnapshot("items").get().resources().forEach(r -> expected.put(r.id(), r.body()));

        for (RecordingSink sink : sinks) {
            StateReplica replica = new StateReplica(WatchSemanticsTest::order);
            await("watcher caught up").atMost(WAIT).until(() -> {
                sink.drainFrames().forEach(f -> replica.apply(SseEvent.parse(f)));
                return last.token().equals(replica.lastId());
            });
            assertThat(replica.state()).isEqualTo(expected);
            replica.assertIdsIncreasing();
        }
    }

    /** Catches a hub failure leaving streams open or writing an error body into them. */
    @Test
    void feedFailureSendsUnavailableThenCloses() throws Exception {
        AtomicInteger follows = new AtomicInteger();
        List<ChangeListener> listeners = new ArrayList<>();
        Store failing = new ForwardingStore(store) {
            @Override
            public ChangeFeed follow(String collection, Revision after, ChangeListener listener) {
                follows.incrementAndGet();
                synchronized (listeners) {
                    listeners.add(listener);
                }
                return super.follow(collection, after, listener);
            }
        };
        start(failing, b -> { });
        RecordingSink sink = open("/items/", "watch=true");
        sink.nextEvent();

        synchronized (listeners) {
            listeners.get(0).onFailure(new StoreUnavailableException("cluster lost"));
        }

        assertThat(sink.nextFrame()).isEqualTo("event: unavailable\nretry: 3000\n"
                + "data: {\"detail\":\"the change feed ended\"}\n\n");
        sink.awaitEnd();
        assertThat(sink.end()).isEqualTo("closed");
    }
}
