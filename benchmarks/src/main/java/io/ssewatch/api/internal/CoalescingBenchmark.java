package io.ssewatch.api.internal;

import io.ssewatch.api.adapter.WatchSink;
import io.ssewatch.api.adapter.WriteCallback;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Per-watch coalescing: one watch whose first write never completes, so every later change
 * queues; past the buffer bound of 1,024 events each change replaces the pending change of
 * its resource. The score is the time to apply, dispatch and merge one change.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CoalescingBenchmark {

    /** How many distinct resources the changes cycle through. */
    @Param({"100", "10000"})
    public int resources;

    private BenchmarkHub hub;
    private Watch watch;
    private String[] ids;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        hub = new BenchmarkHub(1024, 1024);
        ids = new String[resources];
        for (int i = 0; i < resources; i++) {
            ids[i] = "r" + i;
            hub.create(ids[i]);
        }
        watch = hub.open(new StuckSink());
        for (int i = 0; i < 2 * 1024; i++) {
            hub.update(ids[i % resources]);
        }
        if (!watch.toString().contains("coalescing")) {
            throw new IllegalStateException("the watch is not coalescing: " + watch);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        hub.close();
    }

    @Benchmark
    public void offerWhileCoalescing() {
        hub.update(ids[next++ % resources]);
    }

    /** A sink whose writes never complete, as a client that stopped reading. */
    static final class StuckSink implements WatchSink {
        @Override
        public void respond(int status, Map<String, String> headers, byte[] body) {
            throw new IllegalStateException("status " + status + " (expected: a stream)");
        }

        @Override
        public void startStream(Map<String, String> headers) {
        }

        @Override
        public void write(ByteBuffer bytes, WriteCallback callback) {
        }

        @Override
        public void close() {
        }

        @Override
        public void abort(Throwable cause) {
        }
    }
}
