package io.ssewatch.api;

/** A running {@link Store#follow} subscription. */
public interface ChangeFeed extends AutoCloseable {

    /**
     * Stops delivery. A call to the listener that is under way may still finish; none starts
     * afterwards. Idempotent.
     */
    @Override
    void close();
}
