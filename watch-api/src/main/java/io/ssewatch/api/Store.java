package io.ssewatch.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A resource store with an ordered change feed: the SPI that every backing store implements
 * and that the watch hubs consume.
 *
 * <p>A store holds collections of resources. Every write commits atomically with a change
 * record, so the feed of a collection contains every committed change exactly once, in
 * revision order. Revisions are store-wide: the changes of one transaction have consecutive
 * revisions, and no snapshot falls between two changes of one transaction.
 *
 * <p>Implementations are thread-safe. Every store must pass the {@code StoreContract} suite
 * of the {@code watch-api} test-jar.
 */
public interface Store extends AutoCloseable {

    /**
     * Parses a wire token back into a revision.
     *
     * @return the revision, or empty when the token is well formed but comes from a store
     *     history that is no longer reachable (for example an in-memory store before a
     *     restart); the caller then serves a fresh snapshot
     * @throws InvalidRevisionException when this store could never have issued the token
     */
    Optional<Revision> parseRevision(String token);

    /**
     * Reads every resource of a collection at one revision.
     *
     * <p>The future fails with {@link StoreUnavailableException} when the store cannot be
     * reached; the caller may retry.
     */
    CompletableFuture<Snapshot> readSnapshot(String collection);

    /**
     * Follows the changes of a collection after a revision.
     *
     * <p>The listener receives every change of the collection with a revision above
     * {@code after}, in revision order, one transaction per call. Calls never overlap and
     * come from a thread of the store, never from the caller of this method. When the store
     * no longer has the changes right after {@code after}, the listener gets
     * {@link ChangeListener#onFailure} with a {@link HistoryExpiredException}; after any
     * {@code onFailure} it gets no further calls.
     *
     * @return a handle whose {@code close()} stops the delivery; idempotent
     */
    ChangeFeed follow(String collection, Revision after, ChangeListener listener);

    /** Reads one resource, or empty when it does not exist. Blocks the calling thread. */
    Optional<Resource> get(String collection, String id);

    /**
     * Runs {@code work} in one transaction and commits its writes together.
     *
     * <p>When {@code work} throws, nothing is written and the exception propagates. A store
     * may run {@code work} more than once (FoundationDB retries conflicts), so it must have no
     * side effects outside the transaction. Blocks the calling thread.
     *
     * @return the revision of the last change written, or the store's current revision when
     *     the transaction wrote nothing
     */
    Revision write(Consumer<StoreTransaction> work);

    /** Creates or replaces one resource in its own transaction. */
    default Revision put(String collection, String id, JsonNode body) {
        return write(tx -> tx.put(collection, id, body));
    }

    /** Deletes one resource in its own transaction; deleting a missing resource is a no-op. */
    default Revision delete(String collection, String id) {
        return write(tx -> tx.delete(collection, id));
    }

    /** Stops the store's threads and feeds. Idempotent. */
    @Override
    void close();
}
