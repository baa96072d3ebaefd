package io.ssewatch.api;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A store that forwards every call, for tests that override one of them. */
public class ForwardingStore implements Store {

    private final Store delegate;

    public ForwardingStore(Store delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<Revision> parseRevision(String token) {
        return delegate.parseRevision(token);
    }

    @Override
    public CompletableFuture<Snapshot> readSnapshot(String collection) {
        return delegate.readSnapshot(collection);
    }

    @Override
    public ChangeFeed follow(String collection, Revision after, ChangeListener listener) {
        return delegate.follow(collection, after, listener);
    }

    @Override
    public Optional<Resource> get(String collection, String id) {
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
