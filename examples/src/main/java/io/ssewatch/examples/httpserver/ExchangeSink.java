package io.ssewatch.examples.httpserver;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.ssewatch.api.adapter.WatchConnection;
import io.ssewatch.api.adapter.WatchSink;
import io.ssewatch.api.adapter.WriteCallback;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes one watch stream to a JDK {@link HttpExchange}.
 *
 * <p><b>Threads.</b> The exchange's streams block, so every call that does I/O runs as a task
 * on the writer pool and returns at once. The core makes one call at a time and waits for a
 * write's callback before the next write, so the tasks of one stream run one after another.
 * Only {@link #abort} may overlap a running task.
 *
 * <p><b>Abort.</b> The JDK server (checked on JDK 17) writes a response through a blocking
 * {@code SocketChannel}. Interrupting a thread that is blocked in a channel write closes the
 * channel, which is the only way to stop such a write without access to the socket. So
 * {@code abort} interrupts the thread that is doing I/O for this stream, then closes the
 * exchange on a pool thread whose interrupt flag is set, which closes the connection at the
 * first write instead of blocking on a full socket buffer.
 */
final class ExchangeSink implements WatchSink {

    private static final int COPY_BYTES = 16 * 1024;

    private final HttpExchange exchange;
    private final Executor writers;
    private final Object lock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile WatchConnection connection;
    private volatile Map<String, String> streamHeaders;
    private volatile boolean headersSent;
    private byte[] copyBuffer;

    // Guarded by lock.
    private Thread ioThread;
    private boolean aborted;

    ExchangeSink(HttpExchange exchange, Executor writers) {
        this.exchange = exchange;
        this.writers = writers;
    }

    /** Keeps the watch, to release it when the writer pool stops taking tasks. */
    void bind(WatchConnection watch) {
        this.connection = watch;
    }

    @Override
    public void respond(int status, Map<String, String> headers, byte[] body) {
        submit(() -> {
            if (!beginIo()) {
                return;
            }
            try {
                putHeaders(headers);
                exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                closed.set(true);
            } catch (IOException e) {
                closeConnection();
            } finally {
                endIo();
            }
        });
    }

    @Override
    public void startStream(Map<String, String> headers) {
        // The status line and headers go out with the first write, on a writer thread.
        streamHeaders = headers;
    }

    // tag::write[]
    @Override
    public void write(ByteBuffer bytes, WriteCallback callback) {
        submit(() -> {
            if (!beginIo()) {
                callback.failed(new IOException("the stream was aborted"));
                return;
            }
            try {
                if (!headersSent) {
                    putHeaders(streamHeaders);
                    // Length 0 selects chunked transfer coding, so the connection stays
                    // reusable after the stream ends.
                    exchange.sendResponseHeaders(200, 0);
                    headersSent = true;
                }
                OutputStream out = exchange.getResponseBody();
                copy(bytes.duplicate(), out);
                out.flush();
            } catch (IOException e) {
                endIo();
                callback.failed(e);
                closeConnection();
                return;
            }
            endIo();
            callback.succeeded();
        });
    }
    // end::write[]

    @Override
    public void close() {
        submit(() -> {
            if (!beginIo()) {
                return;
            }
            try {
                // Writes the last chunk. NOTE: this write has no timeout, so a client that stops
                // reading just now keeps a pool thread blocked until it reads again or its
                // connection breaks.
                if (closed.compareAndSet(false, true)) {
                    exchange.close();
                }
            } finally {
                endIo();
            }
        });
    }

    // tag::abort[]
    @Override
    public void abort(Throwable cause) {
        Thread blocked;
        synchronized (lock) {
            if (aborted) {
                return;
            }
            aborted = true;
            blocked = ioThread;
        }
        if (blocked != null) {
            blocked.interrupt();
        }
        submit(this::closeConnection);
    }
    // end::abort[]

    private void copy(ByteBuffer bytes, OutputStream out) throws IOException {
        if (bytes.hasArray()) {
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            return;
        }
        if (copyBuffer == null) {
            copyBuffer = new byte[COPY_BYTES];
        }
        while (bytes.hasRemaining()) {
            int length = Math.min(copyBuffer.length, bytes.remaining());
            bytes.get(copyBuffer, 0, length);
            out.write(copyBuffer, 0, length);
        }
    }

    private void putHeaders(Map<String, String> headers) {
        Headers responseHeaders = exchange.getResponseHeaders();
        headers.forEach(responseHeaders::set);
    }

    // tag::closeConnection[]
    /** Closes the exchange with the interrupt flag set, so that no write in it can block. */
    private void closeConnection() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Thread.currentThread().interrupt();
        try {
            exchange.close();
        } finally {
            Thread.interrupted();
        }
    }
    // end::closeConnection[]

    /** Registers this thread as the one doing I/O; returns false once the stream is aborted. */
    private boolean beginIo() {
        synchronized (lock) {
            if (aborted) {
                return false;
            }
            ioThread = Thread.currentThread();
            return true;
        }
    }

    /** Unregisters this thread and clears an interrupt that came after its last write. */
    private void endIo() {
        synchronized (lock) {
            ioThread = null;
        }
        Thread.interrupted();
    }

    private void submit(Runnable task) {
        try {
            writers.execute(task);
        } catch (RejectedExecutionException e) {
            // The handler was closed, so nothing writes to this exchange any more.
            WatchConnection watch = connection;
            if (watch != null) {
                watch.clientGone(e);
            }
        }
    }
}
