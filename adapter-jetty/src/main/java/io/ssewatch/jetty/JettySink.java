package io.ssewatch.jetty;

import io.ssewatch.api.adapter.WatchConnection;
import io.ssewatch.api.adapter.WatchSink;
import io.ssewatch.api.adapter.WriteCallback;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Writes one watch stream to a Jetty response.
 *
 * <p>The handler callback is completed exactly once: by a complete response, by the last
 * write of the stream, by an abort, or by Jetty's failure listener, which fires when the
 * connection fails and must complete the callback for the exchange to end.
 */
final class JettySink implements WatchSink {

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final AtomicBoolean completed = new AtomicBoolean();

    JettySink(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
    }

    /** Connects Jetty's notices of failures and idle timeouts to the watch. */
    void bind(WatchConnection connection) {
        request.addFailureListener(failure -> {
            connection.clientGone(failure);
            fail(failure);
        });
        // Pings keep a live stream active. An idle timeout with no write pending is ignored,
        // so a long ping interval does not cut quiet streams. Jetty fails a pending write on
        // idle timeout regardless, which ends a stream whose client stopped reading.
        request.addIdleTimeoutListener(timeout -> false);
        // When the server itself closes an HTTP/1.1 connection (a shutdown, or a connection
        // limit), Jetty completes no failure listener, so the watch would otherwise hold its
        // slot until its next write fails. The listener leaves the connection when the
        // exchange completes, so that keep-alive connections do not collect them.
        Connection jettyConnection = request.getConnectionMetaData().getConnection();
        Connection.Listener closed = new Connection.Listener() {
            @Override
            public void onClosed(Connection closedConnection) {
                EofException cause = new EofException("the connection was closed");
                connection.clientGone(cause);
                fail(cause);
            }
        };
        jettyConnection.addEventListener(closed);
        Request.addCompletionListener(request,
                failure -> jettyConnection.removeEventListener(closed));
    }

    @Override
    public void respond(int status, Map<String, String> headers, byte[] body) {
        response.setStatus(status);
        HttpFields.Mutable fields = response.getHeaders();
        headers.forEach(fields::put);
        if (completed.compareAndSet(false, true)) {
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    @Override
    public void startStream(Map<String, String> headers) {
        response.setStatus(200);
        HttpFields.Mutable fields = response.getHeaders();
        headers.forEach(fields::put);
    }

    @Override
    public void write(ByteBuffer bytes, WriteCallback done) {
        response.write(false, bytes, Callback.from(done::succeeded, done::failed));
    }

    @Override
    public void close() {
        if (completed.compareAndSet(false, true)) {
            response.write(true, BufferUtil.EMPTY_BUFFER, callback);
        }
    }

    @Override
    public void abort(Throwable cause) {
        fail(cause);
    }

    private void fail(Throwable cause) {
        if (completed.compareAndSet(false, true)) {
            callback.failed(cause);
        }
    }
}
