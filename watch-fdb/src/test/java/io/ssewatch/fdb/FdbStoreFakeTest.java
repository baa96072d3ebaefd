package io.ssewatch.fdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.apple.foundationdb.Database;
import com.apple.foundationdb.tuple.Tuple;
import com.fasterxml.jackson.databind.JsonNode;
import io.ssewatch.api.ChangeEvent;
import io.ssewatch.api.HistoryExpiredException;
import io.ssewatch.api.Revision;
import io.ssewatch.api.Snapshot;
import io.ssewatch.api.StoreUnavailableException;
import io.ssewatch.fdb.fake.FakeDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store against {@link FakeDatabase}: the shared behaviour suite, plus faults and timing
 * that only the fake can inject (watch failures, unknown commit results, writes between
 * snapshot pages, version clock jumps).
 */
class FdbStoreFakeTest extends AbstractFdbStoreTest {

    private final FakeDatabase db = new FakeDatabase();

    @Override
    protected FdbStore openStore(FdbStoreConfig.Builder config) {
        return FdbStore.open(db, config.backoff(Duration.ofMillis(5), Duration.ofMillis(50))
                .build());
    }

    @Override
    protected Database database() {
        return db;
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    @Test
    void feedsOfOneCollection_shareOneWatch() throws Exception {
        FdbStore store = store();
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        for (int i = 0; i < 20; i++) {
            store.follow("volumes", start, new RecordingListener());
        }
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", start, listener);
        store.put("volumes", "v1", body("a"));
        listener.nextTransaction();

        await().atMost(RecordingListener.WAIT).until(() -> db.watchCount() == 1);
        assertThat(db.watchCount()).isEqualTo(1);
    }

    @Test
    void lastFeedClosed_releasesWatch() throws Exception {
        FdbStore store = store();
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        var feed = store.follow("volumes", start, new RecordingListener());
        await().atMost(RecordingListener.WAIT).until(() -> db.watchCount() == 1);

        feed.close();

        await().atMost(RecordingListener.WAIT).until(() -> db.watchCount() == 0);
        assertThat(store.toString()).contains("followers=0");
    }

    @Test
    void collectionsBeyondWatchBudget_arePolled() throws Exception {
        FdbStore store = store(FdbStoreConfig.builder().maxWatches(3)
                .pollInterval(Duration.ofMillis(100)));
        Revision start = store.readSnapshot("c0").get(20, TimeUnit.SECONDS).revision();
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            RecordingListener listener = new RecordingListener();
            store.follow("c" + i, start, listener);
            listeners.add(listener);
        }

        for (int i = 0; i < 10; i++) {
            store.put("c" + i, "v", body("a"));
        }

        for (RecordingListener listener : listeners) {
            assertThat(ids(listener.nextTransaction())).containsExactly("v");
        }
        assertThat(db.watchCount()).isLessThanOrEqualTo(3);
    }

    @Test
    void watchFailures_areRearmed() throws Exception {
        FdbStore store = store();
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", start, listener);
        int[] codes = {1007, 1009, 1025, 1021, 1101};

        for (int i = 0; i < codes.length; i++) {
            await().atMost(RecordingListener.WAIT).until(() -> db.watchCount() == 1);
            db.failAllWatches(codes[i]);
            store.put("volumes", "v" + i, body("a"));
            assertThat(ids(listener.nextTransaction())).containsExactly("v" + i);
        }
        listener.assertNoMoreTransactions();
        assertThat(listener.failureNow()).isNull();
    }

    @Test
    void lostWatch_logReadAgainAfterWatchTimeout() throws Exception {
        FdbStore store = store(FdbStoreConfig.builder().watchTimeout(Duration.ofMillis(100)));
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", start, listener);
        await().atMost(RecordingListener.WAIT).until(() -> db.watchCount() == 1);

        db.dropAllWatches();
        store.put("volumes", "v1", body("a"));

        assertThat(ids(listener.nextTransaction())).containsExactly("v1");
    }

    @Test
    void tooManyWatches_fallsBackToPolling() throws Exception {
        db.setMaxWatches(1);
        FdbStore store = store(FdbStoreConfig.builder().pollInterval(Duration.ofMillis(100)));
        Revision start = store.readSnapshot("c0").get(20, TimeUnit.SECONDS).revision();
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordingListener listener = new RecordingListener();
            store.follow("c" + i, start, listener);
            listeners.add(listener);
        }

        for (int i = 0; i < 3; i++) {
            store.put("c" + i, "v", body("a"));
        }

        for (RecordingListener listener : listeners) {
            assertThat(ids(listener.nextTransaction())).containsExactly("v");
            assertThat(listener.failureNow()).isNull();
        }
    }

    @Test
    void commitUnknownResult_logsChangeOnce() throws Exception {
        FdbStore store = store();
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", start, listener);
        AtomicInteger runs = new AtomicInteger();
        db.failNextCommitAfterApplying(1021);
        int commitsBefore = db.commitCount();

        Revision revision = store.write(tx -> {
            runs.incrementAndGet();
            tx.put("volumes", "v1", body("a"));
        });
        store.put("volumes", "v2", body("b"));

        assertThat(runs.get()).isEqualTo(1);
        assertThat(db.commitCount() - commitsBefore).isEqualTo(2);
        List<ChangeEvent> changes = listener.nextChanges(2);
        assertThat(ids(changes)).containsExactly("v1", "v2");
        assertThat(changes.get(0).revision()).isEqualTo(revision);
    }

    @Test
    void conflict_runsWorkAgain() throws Exception {
        FdbStore store = store();
        AtomicInteger runs = new AtomicInteger();
        db.failNextCommits(1020, 2);

        store.write(tx -> {
            runs.incrementAndGet();
            tx.put("volumes", "v1", body("a"));
        });

        assertThat(runs.get()).isEqualTo(3);
        assertThat(store.get("volumes", "v1")).isPresent();
    }

    @Test
    void concurrentWritesToOneResource_logCorrectBefore() throws Exception {
        FdbStore store = store();
        store.put("counters", "c", counter(0));
        Revision start = store.readSnapshot("counters").get(20, TimeUnit.SECONDS).revision();
        RecordingListener listener = new RecordingListener();
        store.follow("counters", start, listener);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        store.write(tx -> {
                            int value = tx.get("counters", "c").orElseThrow().body()
                                    .get("value").asInt();
                            tx.put("counters", "c", counter(value + 1));
                        });
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<ChangeEvent> changes = listener.nextChanges(100);
        for (int i = 0; i < changes.size(); i++) {
            assertThat(changes.get(i).before().get("value").asInt()).isEqualTo(i);
            assertThat(changes.get(i).after().get("value").asInt()).isEqualTo(i + 1);
        }
    }

    @Test
    void persistentFailure_writeTimesOut() {
        FdbStore store = store(FdbStoreConfig.builder().operationTimeout(Duration.ofMillis(200)));
        db.failNextCommits(1020, 1_000_000);

        assertThatThrownBy(() -> store.put("volumes", "v1", body("a")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("1031");
    }

    @Test
    void persistentFailure_endsFeedsAfterTimeout() throws Exception {
        FdbStore store = store(FdbStoreConfig.builder()
                .feedFailureTimeout(Duration.ofMillis(300)));
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        RecordingListener listener = new RecordingListener();
        db.failEveryCommit(1037);

        store.follow("volumes", start, listener);

        assertThat(listener.awaitFailure()).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("volumes");
    }

    @Test
    void transientFailure_feedRecovers() throws Exception {
        FdbStore store = store();
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        RecordingListener listener = new RecordingListener();
        db.failEveryCommit(1037);
        store.follow("volumes", start, listener);
        await().atMost(RecordingListener.WAIT).until(() -> db.failedCommitCount() >= 3);

        db.failEveryCommit(0);
        store.put("volumes", "v1", body("a"));

        assertThat(ids(listener.nextTransaction())).containsExactly("v1");
    }

    @Test
    void pagedSnapshot_exactAtOneRevision() throws Exception {
        FdbStore store = store(FdbStoreConfig.builder().snapshotPageRows(100));
        store.write(tx -> {
            for (int i = 0; i < 350; i++) {
                tx.put("volumes", String.format("v%03d", i), body("old"));
            }
        });
        AtomicBoolean written = new AtomicBoolean();
        AtomicInteger transactions = new AtomicInteger();
        db.onTransactionCreated(count -> {
            // Between the first and the second page: change what the first page already read
            // and what the later pages have not read yet.
            if (transactions.incrementAndGet() == 2 && written.compareAndSet(false, true)) {
                Thread writer = new Thread(() -> store.write(tx -> {
                    tx.put("volumes", "v000", body("new"));
                    tx.delete("volumes", "v001");
                    tx.put("volumes", "v000a", body("created"));
                    tx.put("volumes", "v300", body("new"));
                    tx.delete("volumes", "v301");
                }));
                writer.start();
                try {
                    writer.join(20_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });

        Snapshot snapshot = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS);
        db.onTransactionCreated(null);

        assertThat(written).isTrue();
        Map<String, JsonNode> resources = asMap(snapshot);
        assertThat(resources).hasSize(349);
        assertThat(resources.get("v000")).isEqualTo(body("new"));
        assertThat(resources).doesNotContainKey("v001");
        assertThat(resources.get("v000a")).isEqualTo(body("created"));
        assertThat(resources.get("v300")).isEqualTo(body("new"));
        assertThat(resources).doesNotContainKey("v301");
        assertThat(resources.get("v200")).isEqualTo(body("old"));
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", snapshot.revision(), listener);
        store.put("volumes", "after", body("x"));
        assertThat(ids(listener.nextTransaction())).containsExactly("after");
    }

    @Test
    void trim_byAge_removesOldTransactions() throws Exception {
        FdbStore store = store(FdbStoreConfig.builder().logMaxAge(Duration.ofSeconds(10))
                .trimInterval(Duration.ZERO));
        Revision old = store.put("volumes", "v1", body("a"));
        store.put("volumes", "v2", body("b"));
        assertThat(store.trimLogs()).isZero();

        db.advanceVersion(Duration.ofSeconds(11).toNanos() / 1_000);
        Revision recent = store.put("volumes", "v3", body("c"));

        assertThat(store.trimLogs()).isEqualTo(2);
        RecordingListener expired = new RecordingListener();
        store.follow("volumes", old, expired);
        assertThat(expired.awaitFailure()).isInstanceOf(HistoryExpiredException.class);
        RecordingListener kept = new RecordingListener();
        store.follow("volumes", recent, kept);
        store.put("volumes", "v4", body("d"));
        assertThat(ids(kept.nextTransaction())).containsExactly("v4");
    }

    @Test
    void trim_bySize_keepsNewestWithinLimit() throws Exception {
        FdbStore store = store(FdbStoreConfig.builder().logMaxBytes(200)
                .trimInterval(Duration.ZERO));
        List<Revision> revisions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            revisions.add(store.put("volumes", "v" + i, body("x")));
        }

        long removed = store.trimLogs();

        assertThat(removed).isBetween(1L, 9L);
        RecordingListener kept = new RecordingListener();
        store.follow("volumes", revisions.get(8), kept);
        assertThat(ids(kept.nextTransaction())).containsExactly("v9");
        assertThat(logSize()).isLessThanOrEqualTo(200);
    }

    @Test
    void concurrentWritersAndFeed_reachStoreState() throws Exception {
        FdbStore store = store();
        Snapshot snapshot = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS);
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", snapshot.revision(), listener);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger changes = new AtomicInteger();
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Random random = new Random(t);
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        String id = "v" + random.nextInt(20);
                        if (random.nextInt(4) == 0) {
                            // The work may run more than once; the last run is the one that
                            // committed.
                            AtomicBoolean present = new AtomicBoolean();
                            store.write(tx -> {
                                present.set(tx.get("volumes", id).isPresent());
                                tx.delete("volumes", id);
                            });
                            if (present.get()) {
                                changes.incrementAndGet();
                            }
                        } else {
                            store.put("volumes", id, body("x" + random.nextInt()));
                            changes.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Map<String, JsonNode> state = new HashMap<>(asMap(snapshot));
        Revision last = snapshot.revision();
        for (ChangeEvent change : listener.nextChanges(changes.get())) {
            assertThat(change.revision()).isGreaterThan(last);
            last = change.revision();
            if (change.after() == null) {
                state.remove(change.id());
            } else {
                state.put(change.id(), change.after());
            }
        }
        assertThat(state).isEqualTo(asMap(store.readSnapshot("volumes").get(20,
                TimeUnit.SECONDS)));
    }

    private long logSize() {
        long total = 0;
        for (Map.Entry<byte[], byte[]> entry : db.dump(Tuple.from("sse-watch", "l")).entrySet()) {
            total += entry.getKey().length + entry.getValue().length;
        }
        return total;
    }

    private static JsonNode counter(int value) {
        return body("c").put("value", value);
    }
}
