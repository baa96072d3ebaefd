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

    /** A hub loaded its collection and now follows the store. */
    default void hubStarted(String collection) {
    }

    /** A hub stopped following the store: idle, failed or shut down. */
    default void hubStopped(String collection) {
    }

    /** A watch was registered and is about to stream. */
    default void watchOpened(String collection) {
    }

    /** A watch ended, for any reason. */
    default void watchClosed(String collection) {
    }

    /** Frames (events, pings, bookmarks) were written to a client, {@code count} of them. */
    default void eventsSent(String collection, int count) {
    }

    /** A watch was refused because a watch limit was reached. */
    default void watchRejected(String collection, String reason) {
    }

    /** Pending events of a slow watch were merged into fewer, {@code count} fewer. */
    default void eventsCoalesced(String collection, int count) {
    }

    /** A stream was closed because its client did not keep up. */
    default void slowConsumerClosed(String collection) {
    }
}
