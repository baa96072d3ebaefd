package io.ssewatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Store} must have. A store's test class extends this and
 * supplies {@link #createStore()}; each test gets a fresh, empty store and closes it.
 */
public abstract class StoreContract {

    protected static final ObjectMapper MAPPER = new ObjectMapper();
    protected static final Duration WAIT = Duration.ofSeconds(10);

    protected Store store;

    /** Creates a new, empty store. */
    protected abstract Store createStore();

    @BeforeEach
    void openStore() {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        // createStore() may have been skipped by an assumption.
        if (store != null) {
            store.close();
        }
    }

    protected static ObjectNode body(String id, int version) {
        return MAPPER.createObjectNode().put("id", id).put("version", version);
    }

    @Test
    void getReturnsWhatPutWrote() {
        store.put("items", "a", body("a", 1));

        assertThat(store.get("items", "a")).map(Resource::body).contains(body("a", 1));
        assertThat(store.get("items", "missing")).isEmpty();
        assertThat(store.get("other", "a")).isEmpty();
    }

    @Test
    void snapshotContainsEveryResourceAtItsRevision() throws Exception {
        store.put("items", "a", body("a", 1));
        Revision last = store.put("items", "b", body("b", 1));
        store.put("other", "c", body("c", 1));

        Snapshot snapshot = store.readSnapshot("items").get(10, TimeUnit.SECONDS);

        assertThat(snapshot.collection()).isEqualTo("items");
        assertThat(snapshot.revision().compareTo(last)).isGreaterThanOrEqualTo(0);
        assertThat(snapshot.resources()).extracting(Resource::id)
                .containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void snapshotOfUnknownCollectionIsEmpty() throws Exception {
        Snapshot snapshot = store.readSnapshot("nothing").get(10, TimeUnit.SECONDS);

        assertThat(snapshot.resources()).isEmpty();
    }

    @Test
    void followDeliversEachChangeKindAfterSnapshot() throws Exception {
        store.put("items", "old", body("old", 1));
        Snapshot snapshot = store.readSnapshot("items").get(10, TimeUnit.SECONDS);
        Recorder recorder = new Recorder();
        try (ChangeFeed feed = store.follow("items", snapshot.revision(), recorder)) {
            Revision created = store.put("items", "a", body("a", 1));
            Revision updated = store.put("items", "a", body("a", 2));
            Revision deleted = store.delete("items", "a");

            ChangeEvent first = recorder.nextTransaction().get(0);
            assertThat(first.type()).isEqualTo(ChangeType.CREATED);
            assertThat(first.before()).isNull();
            assertThat(first.after()).isEqualTo(body("a", 1));
            assertThat(first.revision()).isEqualTo(created);

            ChangeEvent second = recorder.nextTransaction().get(0);
            assertThat(second.type()).isEqualTo(ChangeType.UPDATED);
            assertThat(second.before()).isEqualTo(body("a", 1));
            assertThat(second.after()).isEqualTo(body("a", 2));
            assertThat(second.revision()).isEqualTo(updated);

            ChangeEvent third = recorder.nextTransaction().get(0);
            assertThat(third.type()).isEqualTo(ChangeType.DELETED);
            assertThat(third.before()).isEqualTo(body("a", 2));
            assertThat(third.after()).isNull();
            assertThat(third.lastState()).isEqualTo(body("a", 2));
            assertThat(third.revision()).isEqualTo(deleted);

            recorder.assertNothingMore();
        }
    }

    @Test
    void transactionArrivesAsOneBatchWithIncreasingRevisions() throws Exception {
        Snapshot snapshot = store.readSnapshot("items").get(10, TimeUnit.SECONDS);
        Recorder recorder = new Recorder();
        try (ChangeFeed feed = store.follow("items", snapshot.revision(), recorder)) {
            store.write(tx -> {
                tx.put("items", "a", body("a", 1));
                tx.put("items", "b", body("b", 1));
                tx.put("items", "c", body("c", 1));
            });

            List<ChangeEvent> transaction = recorder.nextTransaction();
            assertThat(transaction).extracting(ChangeEvent::id).containsExactly("a", "b", "c");
            assertThat(transaction.get(0).revision()).isLessThan(transaction.get(1).revision());
            assertThat(transaction.get(1).revision()).isLessThan(transaction.get(2).revision());
            assertThat(transaction.get(0).revision()).isGreaterThan(snapshot.revision());
            recorder.assertNothingMore();
        }
    }

    @Test
    void transactionReadsItsOwnWrites() {
        store.write(tx -> {
            tx.put("items", "a", body("a", 1));
            assertThat(tx.get("items", "a")).map(Resource::body).contains(body("a", 1));
            tx.delete("items", "a");
            assertThat(tx.get("items", "a")).isEmpty();
            tx.put("items", "a", body("a", 3));
        });

        assertThat(store.get("items", "a")).map(Resource::body).contains(body("a", 3));
    }

    @Test
    void failedTransactionWritesNothing() throws Exception {
        Snapshot snapshot = store.readSnapshot("items").get(10, TimeUnit.SECONDS);
        Recorder recorder = new Recorder();
        try (ChangeFeed feed = store.follow("items", snapshot.revision(), recorder)) {
            assertThatThrownBy(() -> store.write(tx -> {
                tx.put("items", "a", body("a", 1));
                throw new IllegalStateException("rolled back on purpose");
            })).hasMessageContaining("rolled back on purpose");

            assertThat(store.get("items", "a")).isEmpty();
            recorder.assertNothingMore();
        }
    }

    @Test
    void deletingMissingResourceWritesNoChange() throws Exception {
        Snapshot snapshot = store.readSnapshot("items").get(10, TimeUnit.SECONDS);
        Recorder recorder = new Recorder();
        try (ChangeFeed feed = store.follow("items", snapshot.revision(), recorder)) {
            store.delete("items", "missing");
            Revision marker = store.put("items", "marker", body("marker", 1));

            ChangeEvent next = recorder.nextTransaction().get(0);
            assertThat(next.id()).isEqualTo("marker");
            assertThat(next.revision()).isEqualTo(marker);
        }
    }

    @Test
    void crossCollectionTransactionReachesEachFeed() throws Exception {
        Snapshot items = store.readSnapshot("items").get(10, TimeUnit.SECONDS);
        Snapshot other = store.readSnapshot("other").get(10, TimeUnit.SECONDS);
        Recorder itemsRecorder = new Recorder();
        Recorder otherRecorder = new Recorder();
        try (ChangeFeed a = store.follow("items", items.revision(), itemsRecorder);
                ChangeFeed b = store.follow("other", other.revision(), otherRecorder)) {
            store.write(tx -> {
                tx.put("items", "a", body("a", 1));
                tx.put("other", "x", body("x", 1));
            });

            assertThat(itemsRecorder.nextTransaction()).extracting(ChangeEvent::id)
                    .containsExactly("a");
            assertThat(otherRecorder.nextTransaction()).extracting(ChangeEvent::id)
                    .containsExactly("x");
            itemsRecorder.assertNothingMore();
            otherRecorder.assertNothingMore();
        }
    }

    @Test
    void followFromOlderRevisionReplaysInOrder() throws Exception {
        Revision start = store.put("items", "a", body("a", 1));
        store.put("items", "a", body("a", 2));
        store.put("items", "b", body("b", 1));
        Recorder recorder = new Recorder();

        try (ChangeFeed feed = store.follow("items", start, recorder)) {
            assertThat(recorder.nextTransaction().get(0).after()).isEqualTo(body("a", 2));
            assertThat(recorder.nextTransaction().get(0).id()).isEqualTo("b");
            recorder.assertNothingMore();
        }
    }

    @Test
    void closedFeedDeliversNothingMore() throws Exception {
        Snapshot snapshot = store.readSnapshot("items").get(10, TimeUnit.SECONDS);
        Recorder recorder = new Recorder();
        ChangeFeed feed = store.follow("items", snapshot.revision(), recorder);
        store.put("items", "a", body("a", 1));
        recorder.nextTransaction();

        feed.close();
        feed.close();
        store.put("items", "b", body("b", 1));

        recorder.assertNothingMore();
    }

    @Test
    void issuedRevisionTokensParseBack() {
        Revision revision = store.put("items", "a", body("a", 1));

        assertThat(store.parseRevision(revision.token())).contains(revision);
    }

    @Test
    void malformedRevisionTokenIsRejected() {
        assertThatThrownBy(() -> store.parseRevision("not a revision"))
                .isInstanceOf(InvalidRevisionException.class)
                .hasMessageContaining("not a revision");
    }

    @Test
    void invalidIdsAreRejected() {
        assertThatThrownBy(() -> store.put("items", "", body("", 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put("items", "a\nb", body("a", 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put("", "a", body("a", 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Catches a feed that reorders, repeats or loses changes when writers race: replaying
     * the feed onto the snapshot must give the store's final state.
     */
    @Test
    void concurrentWritersFeedReplaysToFinalState() throws Exception {
        Snapshot snapshot = store.readSnapshot("items").get(10, TimeUnit.SECONDS);
        Map<String, JsonNode> replayed = new ConcurrentHashMap<>();
        List<Revision> revisions = new CopyOnWriteArrayList<>();
        int writers = 4;
        int writesEach = 200;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ChangeListener listener = new ChangeListener() {
            @Override
            public void onTransaction(List<ChangeEvent> changes) {
                for (ChangeEvent change : changes) {
                    revisions.add(change.revision());
                    if (change.after() == null) {
                        replayed.remove(change.id());
                    } else {
                        replayed.put(change.id(), change.after());
                    }
                }
            }

            @Override
            public void onFailure(Throwable error) {
                failure.set(error);
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try (ChangeFeed feed = store.follow("items", snapshot.revision(), listener)) {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                pool.submit(() -> {
                    for (int i = 0; i < writesEach; i++) {
                        String id = "r" + ((writer * 7 + i) % 10);
                        if (i % 5 == 4) {
                            store.put("items", id, body(id, i));
                            store.delete("items", id);
                        } else {
                            store.put("items", id, body(id, i));
                        }
                    }
                    return null;
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS))
                    .as("writers finished within 60 s").isTrue();
            // A snapshot's revision need not be a change's revision (FoundationDB's sorts after
            // every change it includes), so the feed is awaited up to a last marker change.
            Revision marker = store.put("items", "marker", body("marker", 1));
            Snapshot end = store.readSnapshot("items").get(10, TimeUnit.SECONDS);
            await("feed caught up with the marker written after the writers")
                    .atMost(WAIT).until(() -> !revisions.isEmpty()
                            && revisions.get(revisions.size() - 1).compareTo(marker) >= 0
                            || failure.get() != null);
            assertThat(failure.get()).as("feed failure").isNull();
            for (int i = 1; i < revisions.size(); i++) {
                assertThat(revisions.get(i)).as("revision %d after %d", i, i - 1)
                        .isGreaterThan(revisions.get(i - 1));
            }
            Map<String, JsonNode> finalState = new HashMap<>();
            end.resources().forEach(r -> finalState.put(r.id(), r.body()));
            assertThat(replayed).isEqualTo(finalState);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Records what a feed delivers, for assertions with bounded waits. */
    protected static final class Recorder implements ChangeListener {

        public Recorder() {
        }

        private final BlockingQueue<List<ChangeEvent>> transactions = new LinkedBlockingQueue<>();
        private final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();

        @Override
        public void onTransaction(List<ChangeEvent> changes) {
            transactions.add(List.copyOf(changes));
        }

        @Override
        public void onFailure(Throwable error) {
            failures.add(error);
        }

        public List<ChangeEvent> nextTransaction() throws InterruptedException {
            List<ChangeEvent> next = transactions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(next).as("a transaction within %s (failures: %s)", WAIT, failures)
                    .isNotNull();
            return next;
        }

        public Throwable nextFailure() throws InterruptedException {
            Throwable next = failures.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(next).as("a failure within %s", WAIT).isNotNull();
            return next;
        }

        /** Waits briefly and checks that nothing else arrived. */
        public void assertNothingMore() throws InterruptedException {
            List<ChangeEvent> extra = transactions.poll(200, TimeUnit.MILLISECONDS);
            assertThat(extra).as("no further transaction").isNull();
            assertThat(failures).as("no failure").isEmpty();
        }
    }
}
