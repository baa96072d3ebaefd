package io.ssewatch.api.internal;

import io.ssewatch.api.sse.SseEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Encoding one SSE event of compact JSON, as each change is encoded once per renderer. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SseEncoderBenchmark {

    @Param({"1024", "65536"})
    public int dataBytes;

    private byte[] data;

    @Setup
    public void setUp() {
        String json = "{\"id\":\"r0000001\",\"padding\":\"";
        data = (json + "x".repeat(dataBytes - json.length() - 2) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public byte[] encodeEvent() {
        return SseEncoder.event("updated", "123456-9c1e44d2", -1, data);
    }
}
