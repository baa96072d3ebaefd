package io.ssewatch.api.adapter;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The response side of one watch request, implemented by an HTTP adapter.
 *
 * <p>The core calls either {@link #respond} once, for a response that is not a stream, or
 * {@link #startStream} once followed by any number of {@link #write}s and finally
 * {@link #close} or {@link #abort}. The core never has more than one write outstanding, and
 * calls {@code close} only when no write is outstanding. Calls may come from any thread but
 * never overlap. After the adapter has reported the client gone through
 * {@link WatchConnection#clientGone}, the core makes no further calls.
 *
 * <p>Implementations must not block: {@code write} hands the bytes to the server and returns.
 */
public interface WatchSink {

    /**
     * Sends a complete response that is not a stream, such as a 400 or 404 with a JSON body,
     * and ends the exchange.
     */
    void respond(int status, Map<String, String> headers, byte[] body);

    /**
     * Sets status 200 and the response headers of the stream. The headers may go out with
     * the first write; the core writes at once after this call.
     */
    void startStream(Map<String, String> headers);

    /**
     * Writes bytes and flushes them to the client, without blocking. The adapter completes
     * the callback exactly once, possibly before this method returns, possibly from another
     * thread. The buffer must not be modified; it may be shared with other streams.
     */
    void write(ByteBuffer bytes, WriteCallback callback);

    /** Ends the stream cleanly, after the last completed write. */
    void close();

    /**
     * Ends the stream at once, even while a write is outstanding, for example by resetting
     * the connection. Used when a client does not read within the write timeout, and after a
     * write failed, so that the HTTP server can complete the exchange.
     */
    void abort(Throwable cause);
}
