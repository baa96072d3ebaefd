package io.ssewatch.examples.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One client selector thread: connects its share of the watch streams, reads them all with
 * one selector and records what arrives.
 *
 * <p>Everything but {@link #execute}, {@link #deliveries()} and {@link #close()} runs on the
 * loop's own thread, so the per-thread statistics need no locks; {@link #collect} reads them
 * there too.
 */
final class ClientLoop implements Runnable, AutoCloseable, WatchStream.Listener {

    private static final int READ_BYTES = 64 * 1024;

    private final Selector selector;
    private final WatchClients owner;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BYTES);
    private final byte[] readBytes = new byte[READ_BYTES];
    private final List<WatchStream> streams = new ArrayList<>();
    private final LatencyHistogram latency = new LatencyHistogram();
    private volatile boolean closed;
    private volatile long deliveries;

    private long nowMicros;
    private long changeBase = Long.MAX_VALUE;
    private long[] lastReceiveLatency = new long[1024];

    ClientLoop(WatchClients owner, int number) throws IOException {
        this.owner = owner;
        this.selector = Selector.open();
        this.thread = new Thread(this, "load-client-" + number);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs a task on the loop thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Returns how many change events this loop's streams have received. */
    long deliveries() {
        return deliveries;
    }

    /** Registers a channel whose connect is under way; called on the loop thread. */
    void register(WatchStream stream) {
        streams.add(stream);
        try {
            stream.channel.register(selector, SelectionKey.OP_CONNECT, stream);
        } catch (ClosedChannelException e) {
            end(stream, null, "the channel closed before it connected");
        }
    }

    /** Sets the smallest change id expected, for the per-change statistics. */
    void startChanges(long base) {
        changeBase = base;
    }

    @Override
    public void run() {
        while (!closed) {
            try {
                selector.select(100);
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                owner.loopFailed(e);
                return;
            }
        }
    }

    private void handle(SelectionKey key) {
        WatchStream stream = (WatchStream) key.attachment();
        try {
            if (key.isConnectable()) {
                stream.channel.finishConnect();
                ByteBuffer request = owner.request();
                while (request.hasRemaining()) {
                    stream.channel.write(request);
                }
                key.interestOps(SelectionKey.OP_READ);
            } else if (key.isReadable()) {
                read(key, stream);
            }
        } catch (IOException e) {
            end(stream, key, "I/O failed: " + e);
        }
    }

    private void read(SelectionKey key, WatchStream stream) throws IOException {
        readBuffer.clear();
        int n = stream.channel.read(readBuffer);
        if (n < 0) {
            end(stream, key, "the server closed the connection");
            return;
        }
        readBuffer.flip();
        readBuffer.get(readBytes, 0, n);
        nowMicros = Payloads.nowMicros();
        stream.onBytes(readBytes, n);
        if (stream.isEnded()) {
            end(stream, key, null);
        }
    }

    private void end(WatchStream stream, SelectionKey key, String reason) {
        if (reason != null) {
            stream.onClosed(reason);
        }
        if (key != null) {
            key.cancel();
        }
        try {
            stream.channel.close();
        } catch (IOException e) {
            stream.fail("closing failed: " + e);
        }
        owner.streamEnded(stream);
    }

    @Override
    public void onSnapshot(WatchStream stream) {
        owner.streamReady(stream);
    }

    @Override
    public void onChange(long id, long commitMicros) {
        deliveries++;
        if (commitMicros < 0) {
            return;
        }
        long value = nowMicros - commitMicros;
        latency.record(value);
        long index = id - changeBase;
        if (index < 0 || index > Integer.MAX_VALUE - 8) {
            return;
        }
        if (index >= lastReceiveLatency.length) {
            lastReceiveLatency = Arrays.copyOf(lastReceiveLatency,
                    (int) Math.max(index + 1, lastReceiveLatency.length * 2L));
        }
        int i = (int) index;
        lastReceiveLatency[i] = Math.max(lastReceiveLatency[i], value + 1);
    }

    /** Collects this loop's statistics on its own thread. */
    CompletableFuture<LoopResult> collect(long expectedChanges) {
        CompletableFuture<LoopResult> result = new CompletableFuture<>();
        execute(() -> result.complete(snapshotResult(expectedChanges)));
        return result;
    }

    private LoopResult snapshotResult(long expectedChanges) {
        LoopResult result = new LoopResult();
        result.latency.add(latency);
        result.changeBase = changeBase;
        result.lastReceiveLatency = lastReceiveLatency.clone();
        for (WatchStream stream : streams) {
            if (stream.error != null) {
                result.errors++;
                result.errorSamples.merge(stream.error, 1, Integer::sum);
            } else if (stream.hasSnapshot()) {
                result.held++;
            }
            result.received += stream.received;
            result.duplicates += stream.duplicates;
            result.gaps += stream.gaps;
            if (!stream.probe && stream.hasSnapshot()) {
                result.missing += Math.max(0, expectedChanges - stream.received);
            }
        }
        return result;
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (WatchStream stream : streams) {
            try {
                stream.channel.close();
            } catch (IOException e) {
                // Closing at the end of a run; the statistics are already collected.
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // Same as above.
        }
    }

    /** The statistics of one loop, merged by {@link WatchClients#collect}. */
    static final class LoopResult {
        final LatencyHistogram latency = new LatencyHistogram();
        final Map<String, Integer> errorSamples = new LinkedHashMap<>();
        long changeBase;
        long[] lastReceiveLatency = new long[0];
        long held;
        long errors;
        long received;
        long duplicates;
        long gaps;
        long missing;
    }
}
