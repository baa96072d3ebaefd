package io.ssewatch.examples.load;

import io.ssewatch.api.ChangeFeed;
import io.ssewatch.api.ChangeListener;
import io.ssewatch.api.Resource;
import io.ssewatch.api.Revision;
import io.ssewatch.api.Snapshot;
import io.ssewatch.api.Store;
import io.ssewatch.api.StoreTransaction;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** A {@link Store} that counts the reads it passes to another store. Thread-safe. */
final class CountingStore implements Store {

    private final Store delegate;
    private final AtomicLong snapshots = new AtomicLong();
    private final AtomicLong gets = new AtomicLong();
    private final AtomicLong follows = new AtomicLong();

    CountingStore(Store delegate) {
        this.delegate = delegate;
    }

    LoadTarget.StoreReads reads() {
        return new LoadTarget.StoreReads(snapshots.get(), gets.get(), follows.get());
    }

    @Override
    public Optional<Revision> parseRevision(String token) {
        return delegate.parseRevision(token);
    }

    @Override
    public CompletableFuture<Snapshot> readSnapshot(String collection) {
        snapshots.incrementAndGet();
        return delegate.readSnapshot(collection);
    }

    @Override
    public ChangeFeed follow(String collection, Revision after, ChangeListener listener) {
        follows.incrementAndGet();
        return delegate.follow(collection, after, listener);
    }

    @Override
    public Optional<Resource> get(String collection, String id) {
        gets.incrementAndGet();
        return delegate.get(collection, id);
    }

    @Override
    public Revision write(Consumer<StoreTransaction> work) {
        return delegate.write(work);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
