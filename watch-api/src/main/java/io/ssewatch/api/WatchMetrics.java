package io.ssewatch.api;

/**
 * Receives counts from the watch hubs, for the host to bind to its metrics system. Every
 * method has an empty default, so an implementation overrides only what it records.
 *
 * <p>Methods are called from hub, timer and HTTP threads, concurrently, and must not block.
 */
public interface WatchMetrics {

    /** Records nothing. */
    WatchMetrics NONE = new WatchMetrics() {
    };

    /** Records that a hub loaded its collection and now follows the store. */
    default void hubStarted(String collection) {
    }

    /** Records that a hub stopped following the store: idle, failed or shut down. */
    default void hubStopped(String collection) {
    }

    /** Records that a watch was registered and is about to stream. */
    default void watchOpened(String collection) {
    }

    /** Records that a watch ended, for any reason. */
    default void watchClosed(String collection) {
    }

    /** Records that {@code count} frames (events, pings, bookmarks) were written to a client. */
    default void eventsSent(String collection, int count) {
    }

    /** Records that a watch was rejected because a watch limit was reached. */
    default void watchRejected(String collection, String reason) {
    }

    /** Records that {@code count} pending events of a slow watch were merged away. */
    default void eventsCoalesced(String collection, int count) {
    }

    /** Records that a stream was closed because its client did not keep up. */
    default void slowConsumerClosed(String collection) {
    }
}
