package io.ssewatch.undertow;

import io.ssewatch.api.adapter.WatchConnection;
import io.ssewatch.api.adapter.WatchSink;
import io.ssewatch.api.adapter.WriteCallback;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * Writes one watch stream to an Undertow exchange through its response channel.
 *
 * <p><b>Threads.</b> The core calls this sink from its own threads. Every call becomes a task
 * on the connection's IO thread, which runs the tasks one at a time in the order they were
 * submitted. The write listener runs on that thread too, so the channel and the fields marked
 * below are only touched there. Tasks submitted while the handler is still running are held
 * until the exchange's dispatch task releases them, because Undertow ends an exchange whose
 * handler returns without dispatching it.
 *
 * <p><b>Completion.</b> Each write's callback is completed once: when the bytes are written
 * and flushed, or with the error when the channel fails, the connection closes or the stream
 * is aborted. After each completed write, writes are suspended again. Besides saving a
 * selector wake-up, this resets Undertow's write timeout (the XNIO {@code WRITE_TIMEOUT}
 * option, capped by {@code UndertowOptions.IDLE_TIMEOUT}), which otherwise closes the
 * connection at the first write after a quiet spell longer than the timeout. While a write is
 * pending, that timeout still applies and closes the connection of a client that stopped
 * reading.
 */
final class UndertowSink implements WatchSink {

    private static final Logger LOG = LoggerFactory.getLogger(UndertowSink.class);

    private final HttpServerExchange exchange;
    private final ConnectionCloseListener closeListener = new ConnectionCloseListener(this);
    private volatile WatchConnection connection;

    // Guarded by this: tasks submitted before the handler returned, or null once released.
    private List<Runnable> held = new ArrayList<>();

    // Touched on the IO thread only.
    private StreamSinkChannel channel;
    private ByteBuffer pending;
    private WriteCallback pendingCallback;
    private boolean ended;

    UndertowSink(HttpServerExchange exchange) {
        this.exchange = exchange;
    }

    /**
     * Connects the exchange's life cycle to the watch and keeps the exchange open after the
     * handler returns. Called once, by the handler, before it returns.
     */
    void bind(WatchConnection watch) {
        this.connection = watch;
        exchange.getConnection().addCloseListener(closeListener);
        exchange.addExchangeCompleteListener((completed, next) -> {
            closeListener.detach();
            notifyGone(new ClosedChannelException());
            next.proceed();
        });
        exchange.dispatch(exchange.getIoThread(), this::releaseHeld);
    }

    @Override
    public void respond(int status, Map<String, String> headers, byte[] body) {
        submit(() -> {
            if (ended) {
                return;
            }
            ended = true;
            exchange.setStatusCode(status);
            putHeaders(headers);
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
            // The response channel, not the Sender: under a BlockingHandler the Sender would
            // block this IO thread.
            openChannel();
            pending = ByteBuffer.wrap(body);
            pendingCallback = new EndExchange();
            writePending();
        });
    }

    @Override
    public void startStream(Map<String, String> headers) {
        submit(() -> {
            if (ended) {
                return;
            }
            exchange.setStatusCode(200);
            putHeaders(headers);
            // Without a Content-Length, Undertow chunks the body of an HTTP/1.1 response and
            // keeps the connection persistent.
            openChannel();
        });
    }

    @Override
    public void write(ByteBuffer bytes, WriteCallback callback) {
        submit(() -> {
            if (ended || channel == null) {
                callback.failed(new ClosedChannelException());
                return;
            }
            pending = bytes;
            pendingCallback = callback;
            writePending();
        });
    }

    @Override
    public void close() {
        submit(() -> {
            if (ended) {
                return;
            }
            ended = true;
            if (channel != null) {
                channel.getWriteSetter().set(null);
                channel.suspendWrites();
            }
            // Shuts the response channel down, which writes the last chunk, and flushes it.
            exchange.endExchange();
        });
    }

    @Override
    public void abort(Throwable cause) {
        submit(() -> {
            ended = true;
            failPending(cause);
            // For HTTP/2 the exchange's connection is its stream, so this resets one stream.
            IoUtils.safeClose(exchange.getConnection());
        });
    }

    /**
     * Writes the pending buffer and flushes it. On a short write or flush it resumes writes,
     * and the write listener calls back here when the socket can take more.
     */
    private void writePending() {
        if (pending == null) {
            channel.suspendWrites();
            return;
        }
        try {
            while (pending.hasRemaining()) {
                if (channel.write(pending) == 0) {
                    channel.resumeWrites();
                    return;
                }
            }
            if (!channel.flush()) {
                channel.resumeWrites();
                return;
            }
        } catch (IOException e) {
            ended = true;
            failPending(e);
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        channel.suspendWrites();
        WriteCallback callback = pendingCallback;
        pending = null;
        pendingCallback = null;
        callback.succeeded();
    }

    /** Takes the response channel, which fixes the status and headers. */
    private void openChannel() {
        channel = exchange.getResponseChannel();
        channel.getWriteSetter().set(ready -> writePending());
    }

    private void failPending(Throwable cause) {
        WriteCallback callback = pendingCallback;
        pending = null;
        pendingCallback = null;
        if (callback != null) {
            callback.failed(cause);
        }
    }

    private void putHeaders(Map<String, String> headers) {
        HeaderMap responseHeaders = exchange.getResponseHeaders();
        headers.forEach((name, value) ->
                responseHeaders.put(HttpString.tryFromString(name), value));
    }

    /** Runs the tasks held while the handler was running; later tasks are not held. */
    private void releaseHeld() {
        List<Runnable> tasks;
        synchronized (this) {
            tasks = held;
            held = null;
        }
        tasks.forEach(Runnable::run);
    }

    private void submit(Runnable task) {
        synchronized (this) {
            if (held != null) {
                held.add(task);
                return;
            }
        }
        try {
            exchange.getIoThread().execute(task);
        } catch (RejectedExecutionException e) {
            // The IO thread takes no more tasks because the server is stopping.
            notifyGone(e);
        }
    }

    /** Releases the watch and fails a pending write; called from any thread. */
    private void onConnectionClosed() {
        ClosedChannelException cause = new ClosedChannelException();
        notifyGone(cause);
        if (exchange.getIoThread() == Thread.currentThread()) {
            ended = true;
            failPending(cause);
        } else {
            submit(() -> {
                ended = true;
                failPending(cause);
            });
        }
    }

    private void notifyGone(Throwable cause) {
        WatchConnection watch = connection;
        if (watch == null) {
            return;
        }
        try {
            watch.clientGone(cause);
        } catch (RuntimeException e) {
            LOG.error("Releasing the watch of {} failed", exchange.getRelativePath(), e);
        }
    }

    /** Ends the exchange once a complete response that is not a stream has been written. */
    private final class EndExchange implements WriteCallback {
        @Override
        public void succeeded() {
            channel.getWriteSetter().set(null);
            exchange.endExchange();
        }

        @Override
        public void failed(Throwable error) {
            LOG.debug("Sending the {} response to {} failed", exchange.getStatusCode(),
                    exchange.getRelativePath(), error);
        }
    }

    /**
     * Forwards the close of a connection to the sink of one exchange. Undertow keeps close
     * listeners for the life of the connection, which may serve many exchanges one after
     * another, so the listener lets go of the sink once its exchange has completed.
     */
    private static final class ConnectionCloseListener implements ServerConnection.CloseListener {
        private volatile UndertowSink sink;

        ConnectionCloseListener(UndertowSink sink) {
            this.sink = sink;
        }

        void detach() {
            sink = null;
        }

        @Override
        public void closed(ServerConnection closedConnection) {
            UndertowSink target = sink;
            sink = null;
            if (target != null) {
                target.onConnectionClosed();
            }
        }
    }
}
