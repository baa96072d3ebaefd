package io.ssewatch.api.adapter;

/**
 * The core's handle on one accepted watch request, which the adapter keeps for events that
 * only the HTTP server sees.
 */
public interface WatchConnection {

    /**
     * Tells the core that the client went away or the exchange failed (a reset stream, a
     * failed read, the server stopping). The core releases the watch and makes no further
     * calls to the sink. Idempotent, and safe to call from any thread.
     */
    void clientGone(Throwable cause);
}
