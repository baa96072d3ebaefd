package io.ssewatch.examples.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens and reads many watch streams with a few NIO selector threads.
 *
 * <p>Each stream binds one of several loopback source addresses (127.0.0.2 and up) before it
 * connects, so that the streams are not limited by the ephemeral ports of one address. At
 * most {@link #MAX_OPENING} streams are between connect and snapshot at a time, which keeps
 * the server's accept queue from overflowing. Thread-safe.
 */
final class WatchClients implements AutoCloseable {

    static final int MAX_OPENING = 256;

    private final InetSocketAddress server;
    private final byte[] request;
    private final boolean contiguous;
    private final List<InetAddress> sources = new ArrayList<>();
    private final List<ClientLoop> loops = new ArrayList<>();
    private final Semaphore opening = new Semaphore(MAX_OPENING);
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger next = new AtomicInteger();
    private final ConcurrentHashMap<WatchStream, CompletableFuture<WatchStream>> probes =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> connectErrors = new ConcurrentHashMap<>();
    private volatile Throwable loopFailure;

    /**
     * Starts the selector threads.
     *
     * @param server the server's address
     * @param path the watch path and query, such as {@code /api/v2/clusters/?watch=true}
     * @param contiguous whether consecutive changes have consecutive ids, so that a skipped
     *     id is a gap
     */
    WatchClients(InetSocketAddress server, String path, boolean contiguous, int selectors,
            int sourceCount) throws IOException {
        this.server = server;
        this.contiguous = contiguous;
        String host = server.getAddress().getHostAddress();
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + server.getPort()
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        boolean ipv6 = server.getAddress().getAddress().length == 16;
        for (int i = 0; i < sourceCount; i++) {
            // IPv6 has one loopback address only, so every stream binds ::1 there.
            sources.add(ipv6 ? server.getAddress()
                    : InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)}));
        }
        for (int i = 0; i < selectors; i++) {
            loops.add(new ClientLoop(this, i + 1));
        }
    }

    ByteBuffer request() {
        return ByteBuffer.wrap(request);
    }

    /**
     * Opens {@code count} streams and waits until each has its snapshot or has failed, or
     * until the timeout. Returns the number of streams that have their snapshot.
     */
    int open(int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int target = ready.get() + count;
        for (int i = 0; i < count; i++) {
            long left = deadline - System.nanoTime();
            if (!opening.tryAcquire(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                break;
            }
            openOne(null);
        }
        while (ready.get() + failed.get() < target && System.nanoTime() < deadline
                && loopFailure == null) {
            Thread.sleep(10);
        }
        return ready.get();
    }

    /** Opens one stream and completes when its snapshot has arrived or it failed. */
    CompletableFuture<WatchStream> probe() {
        CompletableFuture<WatchStream> done = new CompletableFuture<>();
        opening.acquireUninterruptibly();
        if (openOne(done) == null) {
            done.completeExceptionally(new IOException("connecting failed: " + connectErrors));
        }
        return done;
    }

    private WatchStream openOne(CompletableFuture<WatchStream> probe) {
        int index = next.getAndIncrement();
        ClientLoop loop = loops.get(index % loops.size());
        try {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.bind(new InetSocketAddress(sources.get(index % sources.size()), 0));
            WatchStream stream = new WatchStream(index, channel, loop, contiguous);
            if (probe != null) {
                stream.probe = true;
                probes.put(stream, probe);
            }
            channel.connect(server);
            loop.execute(() -> loop.register(stream));
            return stream;
        } catch (IOException e) {
            failed.incrementAndGet();
            opening.release();
            connectErrors.merge(String.valueOf(e.getMessage()), 1, Integer::sum);
            return null;
        }
    }

    void streamReady(WatchStream stream) {
        ready.incrementAndGet();
        opening.release();
        completeProbe(stream);
    }

    void streamEnded(WatchStream stream) {
        if (!stream.hasSnapshot()) {
            failed.incrementAndGet();
            opening.release();
        }
        completeProbe(stream);
    }

    private void completeProbe(WatchStream stream) {
        if (stream.probe) {
            CompletableFuture<WatchStream> done = probes.remove(stream);
            if (done != null) {
                done.complete(stream);
            }
        }
    }

    void loopFailed(Throwable error) {
        loopFailure = error;
    }

    /** Returns the error that stopped a selector thread, or {@code null}. */
    Throwable loopFailure() {
        return loopFailure;
    }

    int failedToOpen() {
        return failed.get();
    }

    /** Returns the messages of failed connects, with their counts. */
    java.util.Map<String, Integer> connectErrors() {
        return java.util.Map.copyOf(connectErrors);
    }

    /** Returns the change events received so far by all streams. */
    long deliveries() {
        long sum = 0;
        for (ClientLoop loop : loops) {
            sum += loop.deliveries();
        }
        return sum;
    }

    /** Sets the smallest change id that the run drives, for per-change statistics. */
    void startChanges(long base) throws Exception {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (ClientLoop loop : loops) {
            CompletableFuture<Void> set = new CompletableFuture<>();
            loop.execute(() -> {
                loop.startChanges(base);
                set.complete(null);
            });
            done.add(set);
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    /** Merges the statistics of every selector thread. */
    ClientLoop.LoopResult collect(long expectedChanges) throws Exception {
        ClientLoop.LoopResult total = new ClientLoop.LoopResult();
        for (ClientLoop loop : loops) {
            ClientLoop.LoopResult part = loop.collect(expectedChanges).get(10, TimeUnit.SECONDS);
            total.latency.add(part.latency);
            part.errorSamples.forEach((k, v) -> total.errorSamples.merge(k, v, Integer::sum));
            total.changeBase = part.changeBase;
            if (part.lastReceiveLatency.length > total.lastReceiveLatency.length) {
                total.lastReceiveLatency = java.util.Arrays.copyOf(total.lastReceiveLatency,
                        part.lastReceiveLatency.length);
            }
            for (int i = 0; i < part.lastReceiveLatency.length; i++) {
                total.lastReceiveLatency[i] = Math.max(total.lastReceiveLatency[i],
                        part.lastReceiveLatency[i]);
            }
            total.held += part.held;
            total.errors += part.errors;
            total.received += part.received;
            total.duplicates += part.duplicates;
            total.gaps += part.gaps;
            total.missing += part.missing;
        }
        return total;
    }

    @Override
    public void close() {
        loops.forEach(ClientLoop::close);
    }
}
