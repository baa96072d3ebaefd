package io.ssewatch.fdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.apple.foundationdb.Database;
import com.apple.foundationdb.Transaction;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssewatch.api.ChangeEvent;
import io.ssewatch.api.ChangeFeed;
import io.ssewatch.api.ChangeListener;
import io.ssewatch.api.ChangeType;
import io.ssewatch.api.HistoryExpiredException;
import io.ssewatch.api.InvalidRevisionException;
import io.ssewatch.api.Resource;
import io.ssewatch.api.Revision;
import io.ssewatch.api.Snapshot;
import io.ssewatch.api.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviour of {@link FdbStore} through the store SPI and its FoundationDB-specific methods.
 * Runs against the in-memory fake database and, when one is available, a real cluster.
 */
abstract class AbstractFdbStoreTest {

    private final List<FdbStore> stores = new ArrayList<>();

    /** Opens a store on a fresh, empty subspace with the given settings. */
    protected abstract FdbStore openStore(FdbStoreConfig.Builder config);

    protected FdbStore store() {
        return store(FdbStoreConfig.builder());
    }

    protected FdbStore store(FdbStoreConfig.Builder config) {
        FdbStore store = openStore(config);
        stores.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        stores.forEach(FdbStore::close);
    }

    static ObjectNode body(String name) {
        return JsonNodeFactory.instance.objectNode().put("name", name);
    }

    static List<String> ids(List<ChangeEvent> changes) {
        return changes.stream().map(ChangeEvent::id).collect(Collectors.toList());
    }

    static Map<String, JsonNode> asMap(Snapshot snapshot) {
        return snapshot.resources().stream()
                .collect(Collectors.toMap(Resource::id, Resource::body));
    }

    static byte[] stamp(Revision revision) {
        return Arrays.copyOf(revision.bytes(), 10);
    }

    @Test
    void putThenGet_returnsBody() {
        FdbStore store = store();
        store.put("volumes", "v1", body("a"));

        assertThat(store.get("volumes", "v1")).contains(new Resource("v1", body("a")));
        assertThat(store.get("volumes", "v2")).isEmpty();
    }

    @Test
    void write_changesOfOneTransactionAreConsecutive() throws Exception {
        FdbStore store = store();
        Snapshot empty = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS);
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", empty.revision(), listener);

        Revision last = store.write(tx -> {
            tx.put("volumes", "a", body("a"));
            tx.put("volumes", "b", body("b"));
            tx.put("volumes", "c", body("c"));
        });

        List<ChangeEvent> changes = listener.nextTransaction();
        assertThat(ids(changes)).containsExactly("a", "b", "c");
        assertThat(changes).extracting(ChangeEvent::type).containsOnly(ChangeType.CREATED);
        assertThat(stamp(changes.get(0).revision())).isEqualTo(stamp(last));
        assertThat(stamp(changes.get(2).revision())).isEqualTo(stamp(last));
        assertThat(changes.get(0).revision().bytes()[11]).isEqualTo((byte) 0);
        assertThat(changes.get(1).revision().bytes()[11]).isEqualTo((byte) 1);
        assertThat(changes.get(2).revision()).isEqualTo(last);
    }

    @Test
    void follow_deliversCreatedUpdatedDeletedWithStates() throws Exception {
        FdbStore store = store();
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", start, listener);

        store.put("volumes", "v1", body("a"));
        store.put("volumes", "v1", body("b"));
        store.delete("volumes", "v1");

        List<ChangeEvent> changes = listener.nextChanges(3);
        assertThat(changes.get(0).type()).isEqualTo(ChangeType.CREATED);
        assertThat(changes.get(0).after()).isEqualTo(body("a"));
        assertThat(changes.get(1).type()).isEqualTo(ChangeType.UPDATED);
        assertThat(changes.get(1).before()).isEqualTo(body("a"));
        assertThat(changes.get(1).after()).isEqualTo(body("b"));
        assertThat(changes.get(2).type()).isEqualTo(ChangeType.DELETED);
        assertThat(changes.get(2).before()).isEqualTo(body("b"));
        assertThat(changes.get(0).revision()).isLessThan(changes.get(1).revision());
        assertThat(changes.get(1).revision()).isLessThan(changes.get(2).revision());
        assertThat(listener.overlapped()).isFalse();
    }

    @Test
    void follow_onlyDeliversItsCollection() throws Exception {
        FdbStore store = store();
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", start, listener);

        store.write(tx -> {
            tx.put("nodes", "n1", body("n"));
            tx.put("volumes", "v1", body("v"));
        });

        List<ChangeEvent> changes = listener.nextTransaction();
        assertThat(ids(changes)).containsExactly("v1");
        assertThat(changes.get(0).revision().bytes()[11]).isEqualTo((byte) 1);
    }

    @Test
    void snapshot_thenFollow_noGapNoDuplicate() throws Exception {
        FdbStore store = store();
        store.put("volumes", "v1", body("a"));
        store.put("volumes", "v2", body("b"));

        Snapshot snapshot = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS);
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", snapshot.revision(), listener);
        store.put("volumes", "v3", body("c"));

        assertThat(asMap(snapshot)).containsOnlyKeys("v1", "v2");
        assertThat(ids(listener.nextTransaction())).containsExactly("v3");
        listener.assertNoMoreTransactions();
    }

    @Test
    void follow_fromOldRevision_replaysLaterChanges() throws Exception {
        FdbStore store = store();
        Revision first = store.put("volumes", "v1", body("a"));
        store.put("volumes", "v2", body("b"));
        store.put("volumes", "v3", body("c"));

        RecordingListener listener = new RecordingListener();
        store.follow("volumes", first, listener);

        assertThat(ids(listener.nextChanges(2))).containsExactly("v2", "v3");
    }

    @Test
    void follow_fromMiddleOfTransaction_deliversTheRest() throws Exception {
        FdbStore store = store();
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        store.write(tx -> {
            tx.put("volumes", "a", body("a"));
            tx.put("volumes", "b", body("b"));
            tx.put("volumes", "c", body("c"));
        });
        RecordingListener all = new RecordingListener();
        store.follow("volumes", start, all);
        List<ChangeEvent> transaction = all.nextTransaction();

        RecordingListener rest = new RecordingListener();
        store.follow("volumes", transaction.get(0).revision(), rest);

        assertThat(ids(rest.nextTransaction())).containsExactly("b", "c");
    }

    @Test
    void manyFeeds_eachGetEveryChange() throws Exception {
        FdbStore store = store();
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RecordingListener listener = new RecordingListener();
            store.follow("volumes", start, listener);
            listeners.add(listener);
        }

        for (int i = 0; i < 10; i++) {
            store.put("volumes", "v" + i, body("x" + i));
        }

        for (RecordingListener listener : listeners) {
            assertThat(ids(listener.nextChanges(10))).containsExactly(
                    "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
        }
    }

    @Test
    void revertWithinMilliseconds_reachesFinalState() throws Exception {
        FdbStore store = store();
        store.put("volumes", "v1", body("a"));
        Snapshot snapshot = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS);
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", snapshot.revision(), listener);

        store.put("volumes", "v1", body("b"));
        store.put("volumes", "v1", body("a"));

        List<ChangeEvent> changes = listener.nextChanges(2);
        assertThat(changes).extracting(ChangeEvent::after).containsExactly(body("b"), body("a"));
        assertThat(store.get("volumes", "v1")).contains(new Resource("v1", body("a")));
    }

    @Test
    void delete_missingResource_writesNothing() throws Exception {
        FdbStore store = store();
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", start, listener);

        Revision current = store.delete("volumes", "missing");
        store.put("volumes", "v1", body("a"));

        assertThat(current.bytes()).endsWith((byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF);
        assertThat(ids(listener.nextTransaction())).containsExactly("v1");
    }

    @Test
    void write_lastWritePerResourceWins() throws Exception {
        FdbStore store = store();
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", start, listener);

        store.write(tx -> {
            tx.put("volumes", "v1", body("a"));
            assertThat(tx.get("volumes", "v1")).contains(new Resource("v1", body("a")));
            tx.put("volumes", "v1", body("b"));
        });

        List<ChangeEvent> changes = listener.nextTransaction();
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).after()).isEqualTo(body("b"));
    }

    @Test
    void write_workThrows_writesNothing() {
        FdbStore store = store();

        assertThatThrownBy(() -> store.write(tx -> {
            tx.put("volumes", "v1", body("a"));
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(store.get("volumes", "v1")).isEmpty();
    }

    @Test
    void largeBody_isChunkedAndRestored() throws Exception {
        FdbStore store = store();
        ObjectNode large = body("big").put("data", "x".repeat(250_000));
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", start, listener);

        store.put("volumes", "v1", large);
        store.put("volumes", "v1", body("small"));

        assertThat(store.get("volumes", "v1")).contains(new Resource("v1", body("small")));
        List<ChangeEvent> changes = listener.nextChanges(2);
        assertThat(changes.get(0).after()).isEqualTo(large);
        assertThat(changes.get(1).before()).isEqualTo(large);
        store.put("volumes", "v2", large);
        Snapshot snapshot = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS);
        assertThat(asMap(snapshot).get("v2")).isEqualTo(large);
    }

    @Test
    void bodyOverLimit_rejectedWithSize() {
        FdbStore store = store(FdbStoreConfig.builder().maxBodyBytes(1_000));

        assertThatThrownBy(() -> store.put("volumes", "v1", body("x".repeat(2_000))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("volumes/v1")
                .hasMessageContaining("at most 1000 bytes");
    }

    @Test
    void keyOverLimit_rejected() {
        FdbStore store = store();

        assertThatThrownBy(() -> store.put("volumes", "i".repeat(10_000), body("a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 10000 bytes");
    }

    @Test
    void parseRevision_roundTripsIssuedToken() {
        FdbStore store = store();
        Revision revision = store.put("volumes", "v1", body("a"));

        assertThat(store.parseRevision(revision.token())).contains(revision);
    }

    @Test
    void parseRevision_malformed_throwsNamingValue() {
        FdbStore store = store();

        assertThatThrownBy(() -> store.parseRevision("abc"))
                .isInstanceOf(InvalidRevisionException.class)
                .hasMessageContaining("\"abc\"");
    }

    @Test
    void parseRevision_otherEpoch_isUnreachable() {
        FdbStore store = store();
        Revision revision = store.put("volumes", "v1", body("a"));
        String epoch = revision.token().substring(25);
        String other = epoch.equals("00000000") ? "00000001" : "00000000";

        assertThat(store.parseRevision(revision.token().substring(0, 25) + other)).isEmpty();
    }

    @Test
    void parseRevision_ahead_throws() {
        FdbStore store = store();
        Revision revision = store.put("volumes", "v1", body("a"));

        assertThatThrownBy(() -> store.parseRevision("7fffffffffffffff00000000-"
                + revision.token().substring(25)))
                .isInstanceOf(InvalidRevisionException.class)
                .hasMessageContaining("ahead");
    }

    @Test
    void follow_beforeTrimmedLog_failsWithHistoryExpired() throws Exception {
        FdbStore store = store(FdbStoreConfig.builder().logMaxBytes(1).trimInterval(Duration.ZERO));
        Revision old = store.put("volumes", "v1", body("a"));
        store.put("volumes", "v2", body("b"));
        store.put("volumes", "v3", body("c"));

        assertThat(store.trimLogs()).isEqualTo(3);
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", old, listener);

        assertThat(listener.awaitFailure()).isInstanceOf(HistoryExpiredException.class)
                .hasMessageContaining("volumes");
    }

    @Test
    void follow_afterTrim_fromSnapshotStillWorks() throws Exception {
        FdbStore store = store(FdbStoreConfig.builder().logMaxBytes(1).trimInterval(Duration.ZERO));
        store.put("volumes", "v1", body("a"));
        store.trimLogs();
        Snapshot snapshot = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS);
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", snapshot.revision(), listener);

        store.put("volumes", "v2", body("b"));

        assertThat(asMap(snapshot)).containsOnlyKeys("v1");
        assertThat(ids(listener.nextTransaction())).containsExactly("v2");
    }

    @Test
    void trim_keepsLogWithinLimits() {
        FdbStore store = store(FdbStoreConfig.builder().trimInterval(Duration.ZERO));
        store.put("volumes", "v1", body("a"));

        assertThat(store.trimLogs()).isZero();
    }

    @Test
    void listenerThrows_feedEndsWithThatError() throws Exception {
        FdbStore store = store();
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        RuntimeException boom = new IllegalStateException("listener bug");
        AtomicInteger calls = new AtomicInteger();
        RecordingListener failures = new RecordingListener();
        store.follow("volumes", start, new ChangeListener() {
            @Override
            public void onTransaction(List<ChangeEvent> changes) {
                calls.incrementAndGet();
                throw boom;
            }

            @Override
            public void onFailure(Throwable error) {
                failures.onFailure(error);
            }
        });

        store.put("volumes", "v1", body("a"));
        store.put("volumes", "v2", body("b"));

        assertThat(failures.awaitFailure()).isSameAs(boom);
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void feedClose_stopsDelivery() throws Exception {
        FdbStore store = store();
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        RecordingListener closed = new RecordingListener();
        RecordingListener open = new RecordingListener();
        ChangeFeed feed = store.follow("volumes", start, closed);
        store.follow("volumes", start, open);

        feed.close();
        feed.close();
        store.put("volumes", "v1", body("a"));

        assertThat(ids(open.nextTransaction())).containsExactly("v1");
        closed.assertNoMoreTransactions();
        assertThat(closed.failureNow()).isNull();
    }

    @Test
    void storeClose_endsFeeds() throws Exception {
        FdbStore store = store();
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", start, listener);

        store.close();

        assertThat(listener.awaitFailure()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> store.put("volumes", "v1", body("a")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void slowListener_feedEndsWhenQueueFull() throws Exception {
        FdbStore store = store(FdbStoreConfig.builder().maxPendingTransactions(2));
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        for (int i = 0; i < 5; i++) {
            store.put("volumes", "v" + i, body("a"));
        }
        CountDownLatch release = new CountDownLatch(1);
        RecordingListener failures = new RecordingListener();
        store.follow("volumes", start, new ChangeListener() {
            @Override
            public void onTransaction(List<ChangeEvent> changes) {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void onFailure(Throwable error) {
                failures.onFailure(error);
            }
        });

        try {
            await().atMost(RecordingListener.WAIT)
                    .until(() -> store.toString().contains("followers=0"));
        } finally {
            release.countDown();
        }
        assertThat(failures.awaitFailure()).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("undelivered");
    }

    @Test
    void writeIn_commitsWithHostTransaction() throws Exception {
        FdbStore store = store();
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", start, listener);

        CompletableFuture<Revision> first;
        CompletableFuture<Revision> second;
        try (Transaction tr = database().createTransaction()) {
            first = store.writeIn(tr, tx -> tx.put("volumes", "a", body("a")));
            second = store.writeIn(tr, tx -> tx.put("volumes", "b", body("b")));
            tr.commit().join();
        }

        List<ChangeEvent> changes = listener.nextTransaction();
        assertThat(ids(changes)).containsExactly("a", "b");
        assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(changes.get(0).revision());
        assertThat(second.get(20, TimeUnit.SECONDS)).isEqualTo(changes.get(1).revision());
    }

    @Test
    void writeIn_uncommittedTransaction_writesNothing() {
        FdbStore store = store();

        try (Transaction tr = database().createTransaction()) {
            store.writeIn(tr, tx -> tx.put("volumes", "a", body("a")));
            tr.cancel();
        }

        assertThat(store.get("volumes", "a")).isEmpty();
    }

    /** Returns the database the stores of this test run on. */
    protected abstract Database database();
}
