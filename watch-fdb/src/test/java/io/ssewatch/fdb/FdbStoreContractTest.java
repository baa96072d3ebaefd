package io.ssewatch.fdb;

import io.ssewatch.api.Store;
import io.ssewatch.api.StoreContract;
import io.ssewatch.fdb.fake.FakeDatabase;
import org.junit.jupiter.api.AfterEach;

/**
 * The store contract of {@code watch-api} against {@link FakeDatabase}, so that it runs on
 * every build. {@link FdbStoreContractClusterTest} runs the same contract on a real cluster.
 */
class FdbStoreContractTest extends StoreContract {

    private FakeDatabase db;

    @Override
    protected Store createStore() {
        db = new FakeDatabase();
        return FdbStore.open(db, FdbStoreConfig.builder().build());
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }
}
