package io.ssewatch.fdb;

import com.apple.foundationdb.subspace.Subspace;
import io.ssewatch.api.Store;
import io.ssewatch.api.StoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store contract of {@code watch-api} on a real FoundationDB cluster, each test in a
 * fresh subspace. Skipped unless {@code FDB_CLUSTER_FILE} names a reachable cluster and
 * {@code libfdb_c} loads.
 */
@ExtendWith(RequiresFdbCluster.class)
class FdbStoreContractClusterTest extends StoreContract {

    private Subspace subspace;

    @Override
    protected Store createStore() {
        subspace = FdbCluster.newSubspace();
        return FdbStore.open(FdbCluster.database(), FdbStoreConfig.builder().subspace(subspace)
                .build());
    }

    @AfterEach
    void clearSubspace() {
        if (subspace != null) {
            FdbCluster.clear(subspace);
        }
    }
}
