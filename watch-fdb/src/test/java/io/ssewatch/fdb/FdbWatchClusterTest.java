package io.ssewatch.fdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.apple.foundationdb.subspace.Subspace;
import io.ssewatch.api.ChangeEvent;
import io.ssewatch.api.ChangeListener;
import io.ssewatch.api.Resource;
import io.ssewatch.api.Revision;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watch behaviour that needs a real cluster: the client's watch limit, watches cancelled and
 * set again, and opening a database from a cluster file. Skipped unless
 * {@code FDB_CLUSTER_FILE} names a reachable cluster and {@code libfdb_c} loads.
 */
class FdbWatchClusterTest {

    private final Subspace subspace = FdbCluster.newSubspace();
    private FdbStore store;

    @BeforeEach
    void requireCluster() {
        FdbCluster.database();
    }

    @AfterEach
    void cleanUp() {
        if (store != null) {
            store.close();
            FdbCluster.clear(subspace);
        }
    }

    @Test
    void open_withClusterFile_readsAndWrites() {
        store = FdbStore.open(FdbStoreConfig.builder().clusterFile(FdbCluster.clusterFile())
                .subspace(subspace).build());

        store.put("volumes", "v1", AbstractFdbStoreTest.body("a"));

        assertThat(store.get("volumes", "v1"))
                .contains(new Resource("v1", AbstractFdbStoreTest.body("a")));
    }

    @Test
    void databaseWatchLimitReached_collectionsArePolled() throws Exception {
        store = FdbStore.open(FdbStoreConfig.builder().clusterFile(FdbCluster.clusterFile())
                .subspace(subspace).databaseMaxWatches(1)
                .pollInterval(Duration.ofMillis(200)).build());
        Revision start = store.readSnapshot("c0").get(20, TimeUnit.SECONDS).revision();
        RecordingListener[] listeners = new RecordingListener[3];
        for (int i = 0; i < listeners.length; i++) {
            listeners[i] = new RecordingListener();
            store.follow("c" + i, start, listeners[i]);
        }

        for (int i = 0; i < listeners.length; i++) {
            store.put("c" + i, "v", AbstractFdbStoreTest.body("a"));
        }

        for (RecordingListener listener : listeners) {
            assertThat(AbstractFdbStoreTest.ids(listener.nextTransaction())).containsExactly("v");
            assertThat(listener.failureNow()).isNull();
        }
    }

    @Test
    void watchesCancelledByTimeout_areSetAgain() throws Exception {
        store = FdbStore.open(FdbCluster.database(), FdbStoreConfig.builder().subspace(subspace)
                .watchTimeout(Duration.ofMillis(20)).build());
        Revision start = store.readSnapshot("volumes").get(20, TimeUnit.SECONDS).revision();
        RecordingListener listener = new RecordingListener();
        store.follow("volumes", start, listener);

        for (int i = 0; i < 20; i++) {
            store.put("volumes", "v" + i, AbstractFdbStoreTest.body("a"));
            assertThat(AbstractFdbStoreTest.ids(listener.nextTransaction()))
                    .containsExactly("v" + i);
        }
        assertThat(listener.failureNow()).isNull();
    }

    @Test
    void moreCollectionsThanWatchLimit_allDeliver() throws Exception {
        int collections = 10_050;
        store = FdbStore.open(FdbCluster.database(), FdbStoreConfig.builder().subspace(subspace)
                .pollInterval(Duration.ofSeconds(1)).build());
        Revision start = store.readSnapshot("c0").get(20, TimeUnit.SECONDS).revision();
        CountDownLatch delivered = new CountDownLatch(collections);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < collections; i++) {
            store.follow("c" + i, start, new ChangeListener() {
                @Override
                public void onTransaction(List<ChangeEvent> changes) {
                    delivered.countDown();
                }

                @Override
                public void onFailure(Throwable error) {
                    failures.add(error);
                }
            });
        }

        for (int batch = 0; batch < collections; batch += 1_000) {
            int from = batch;
            store.write(tx -> {
                for (int i = from; i < Math.min(collections, from + 1_000); i++) {
                    tx.put("c" + i, "v", AbstractFdbStoreTest.body("a"));
                }
            });
        }

        assertThat(delivered.await(60, TimeUnit.SECONDS))
                .as("every collection delivered its change; %s still waiting",
                        delivered.getCount()).isTrue();
        assertThat(failures).isEmpty();
    }
}
