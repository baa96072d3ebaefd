package io.ssewatch.examples;

import io.ssewatch.api.Store;
import io.ssewatch.api.memory.InMemoryStore;
import io.ssewatch.fdb.FdbStore;
import io.ssewatch.fdb.FdbStoreConfig;

/** Opens the store that {@code --store} names. */
final class ExampleStores {

    private ExampleStores() {
    }

    /**
     * Opens a new in-memory store, or the FoundationDB store on the options' cluster file under
     * the default subspace {@code ("sse-watch")}.
     *
     * @throws FdbClientMissingException when the FoundationDB client library cannot be loaded
     * @throws io.ssewatch.api.StoreUnavailableException when the FoundationDB cluster cannot be
     *     reached within the store's operation timeout (30 seconds)
     */
    static Store open(ServerOptions options) throws FdbClientMissingException {
        if (!ServerOptions.FDB_STORE.equals(options.store())) {
            return new InMemoryStore();
        }
        FdbStoreConfig config = FdbStoreConfig.builder()
                .clusterFile(options.clusterFile())
                .build();
        try {
            return FdbStore.open(config);
        } catch (LinkageError e) {
            // UnsatisfiedLinkError on the first try in a JVM, NoClassDefFoundError after it.
            throw new FdbClientMissingException(e);
        }
    }
}
