package io.ssewatch.client;

import java.util.Map;

/**
 * Receives the state and changes of one watch from a {@link WatchClient}.
 *
 * <p>The client calls these methods one at a time, never concurrently, in the order of the
 * server's revisions. They run on the client's own thread, or on the {@code Executor} given to
 * the builder, with each call happening-before the next. When a method runs, the client's
 * cache already contains the change it reports and no later one. Every method has an empty
 * default, so a listener overrides only what it needs.
 *
 * <p>A method that throws is logged at WARN and the watch goes on: the cache keeps the change,
 * and later changes are still delivered. A method should return quickly, because it holds up
 * every later call and, on the client's own thread, the reading of the stream.
 *
 * @param <T> the resource type: Jackson's {@code JsonNode}, or the class given to the builder
 */
public interface WatchListener<T> {

    /**
     * Receives the first snapshot: every resource in scope, keyed by id, in the server's
     * order. Called once per client. A later snapshot from the server, sent when it could
     * not resume the stream, arrives as the differences to the cache instead: deletions,
     * updates and creations.
     *
     * @param resources an unmodifiable map, empty when the collection is
     */
    default void onSnapshot(Map<String, T> resources) {
    }

    /** Receives a resource that entered the watched collection or scope. */
    default void onCreated(String id, T resource) {
    }

    /** Receives a changed resource with the state the cache had before. */
    default void onUpdated(String id, T previous, T current) {
    }

    /**
     * Receives a resource that was deleted or left the scope, with its last state. That is
     * the server's last state for a {@code deleted} event, and the cached state when the
     * deletion was inferred from a fresh snapshot or from a 404 on reconnect.
     */
    default void onDeleted(String id, T lastState) {
    }

    /**
     * Reports a transient failure after which the client reconnects by itself, such as a
     * refused connection, a 5xx response, an {@code unavailable} event or a connection that
     * went quiet for longer than the ping timeout. The cache keeps its contents meanwhile.
     */
    default void onError(Exception error) {
    }

    /**
     * Reports that the watch stopped for good and will not reconnect. Called at most once, and
     * last. Not called when the watch ends through {@link WatchClient#close()}.
     */
    default void onStopped(WatchStoppedException reason) {
    }
}
