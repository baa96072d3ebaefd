package io.ssewatch.api.internal;

import io.ssewatch.api.adapter.WatchSink;
import io.ssewatch.api.adapter.WriteCallback;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fan-out of one change to many watches whose sink completes every write at once: the hub's
 * apply and dispatch on the calling thread, then the writes on the engine's writer pool. One
 * operation ends when every watch has written the change, so the score is the time per
 * change and the score divided by {@code watchers} the time per delivery.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FanOutBenchmark {

    @Param({"1000", "10000"})
    public int watchers;

    private final AtomicLong writes = new AtomicLong();
    private BenchmarkHub hub;
    private long expected;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        hub = new BenchmarkHub(1024, 1024);
        for (int i = 0; i < 100; i++) {
            hub.create("r" + i);
        }
        WatchSink sink = new CountingSink(writes);
        for (int i = 0; i < watchers; i++) {
            hub.open(sink);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writes.get() < watchers && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        expected = writes.get();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        hub.close();
    }

    @Benchmark
    public long dispatchOneChange() {
        hub.update("r" + (next++ % 100));
        expected += watchers;
        while (writes.get() < expected) {
            Thread.onSpinWait();
        }
        return expected;
    }

    /** A sink that counts writes and completes each one before it returns. */
    static final class CountingSink implements WatchSink {
        private final AtomicLong writes;

        CountingSink(AtomicLong writes) {
            this.writes = writes;
        }

        @Override
        public void respond(int status, Map<String, String> headers, byte[] body) {
            throw new IllegalStateException("status " + status + " (expected: a stream)");
        }

        @Override
        public void startStream(Map<String, String> headers) {
        }

        @Override
        public void write(ByteBuffer bytes, WriteCallback callback) {
            writes.incrementAndGet();
            callback.succeeded();
        }

        @Override
        public void close() {
        }

        @Override
        public void abort(Throwable cause) {
        }
    }
}
