package io.ssewatch.examples.load;

/**
 * A histogram of non-negative values, such as latencies in microseconds, with a relative
 * error below 1/32 (about 3%) from 0 to 2^40. Constant size, so recording allocates nothing.
 * Not thread-safe: each client thread records into its own and {@link #add} merges them.
 */
final class LatencyHistogram {

    private static final int SUB_BITS = 5;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;
    private static final int MAGNITUDES = 41 - SUB_BITS;

    private final long[] counts = new long[(MAGNITUDES + 1) * SUB_BUCKETS];
    private long total;
    private long max;

    void record(long value) {
        long v = Math.max(0, value);
        counts[index(v)]++;
        total++;
        max = Math.max(max, v);
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /** Returns the value at or below which {@code quantile} of the values lie; 0 when empty. */
    long percentile(double quantile) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= Math.max(1, rank)) {
                return Math.min(max, upperBound(i));
            }
        }
        return max;
    }

    private static int index(long value) {
        if (value < SUB_BUCKETS) {
            return (int) value;
        }
        int magnitude = 63 - Long.numberOfLeadingZeros(value) - SUB_BITS + 1;
        magnitude = Math.min(magnitude, MAGNITUDES);
        int sub = (int) (value >>> (magnitude - 1)) & (SUB_BUCKETS - 1);
        return magnitude * SUB_BUCKETS + sub;
    }

    private static long upperBound(int index) {
        int magnitude = index / SUB_BUCKETS;
        int sub = index % SUB_BUCKETS;
        if (magnitude == 0) {
            return sub;
        }
        return ((long) (SUB_BUCKETS + sub) << (magnitude - 1)) + (1L << (magnitude - 1)) - 1;
    }
}
