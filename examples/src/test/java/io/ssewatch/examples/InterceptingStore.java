package io.ssewatch.examples;

import io.ssewatch.api.ChangeFeed;
import io.ssewatch.api.ChangeListener;
import io.ssewatch.api.Resource;
import io.ssewatch.api.Revision;
import io.ssewatch.api.Snapshot;
import io.ssewatch.api.Store;
import io.ssewatch.api.StoreTransaction;
import io.ssewatch.api.memory.InMemoryStore;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory store with test hooks: code that runs after each snapshot read, a failure to
 * throw from every read, and a count of the committed write transactions.
 */
final class InterceptingStore implements Store {

    final InMemoryStore delegate = new InMemoryStore();
    final AtomicInteger writes = new AtomicInteger();
    volatile Consumer<String> afterSnapshot = collection -> { };
    volatile RuntimeException readFailure;

    @Override
    public Optional<Revision> parseRevision(String token) {
        return delegate.parseRevision(token);
    }

    @Override
    public CompletableFuture<Snapshot> readSnapshot(String collection) {
        if (readFailure != null) {
            return CompletableFuture.failedFuture(readFailure);
        }
        Snapshot snapshot = delegate.readSnapshot(collection).join();
        afterSnapshot.accept(collection);
        return CompletableFuture.completedFuture(snapshot);
    }

    @Override
    public ChangeFeed follow(String collection, Revision after, ChangeListener listener) {
        return delegate.follow(collection, after, listener);
    }

    @Override
    public Optional<Resource> get(String collection, String id) {
        if (readFailure != null) {
            throw readFailure;
        }
        return delegate.get(collection, id);
    }

    @Override
    public Revision write(Consumer<StoreTransaction> work) {
        Revision revision = delegate.write(work);
        writes.incrementAndGet();
        return revision;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
