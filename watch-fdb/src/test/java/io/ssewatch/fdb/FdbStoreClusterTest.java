package io.ssewatch.fdb;

import com.apple.foundationdb.Database;
import com.apple.foundationdb.subspace.Subspace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The shared store behaviour suite on a real FoundationDB cluster. Skipped unless
 * {@code FDB_CLUSTER_FILE} names a reachable cluster and {@code libfdb_c} loads.
 */
class FdbStoreClusterTest extends AbstractFdbStoreTest {

    private final List<Subspace> subspaces = new ArrayList<>();

    @BeforeEach
    void requireCluster() {
        FdbCluster.database();
    }

    @Override
    protected FdbStore openStore(FdbStoreConfig.Builder config) {
        Subspace subspace = FdbCluster.newSubspace();
        subspaces.add(subspace);
        return FdbStore.open(FdbCluster.database(), config.subspace(subspace).build());
    }

    @Override
    protected Database database() {
        return FdbCluster.database();
    }

    @AfterEach
    void clearSubspaces() {
        subspaces.forEach(FdbCluster::clear);
    }
}
