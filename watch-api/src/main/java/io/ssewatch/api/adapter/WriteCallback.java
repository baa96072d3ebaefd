package io.ssewatch.api.adapter;

/** Completion of one {@link WatchSink#write}. Exactly one method is called, once. */
public interface WriteCallback {

    /** The bytes were handed to the network. */
    void succeeded();

    /** The write failed; the client is usually gone. */
    void failed(Throwable error);
}
