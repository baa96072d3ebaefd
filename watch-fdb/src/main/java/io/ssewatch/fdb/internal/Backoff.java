package io.ssewatch.fdb.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the n-th consecutive failure waits a random time between
 * half and all of {@code min(max, initial * 2^(n-1))}. Not thread-safe: each retry loop owns
 * one.
 */
public final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final DoubleSupplier random;
    private int failures;

    /**
     * Creates a backoff.
     *
     * @param random returns values in [0, 1), for the jitter
     */
    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff: " + initial + " (expected: > 0)");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff: " + max
                    + " (expected: at least the initial backoff " + initial + ")");
        }
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    /** Records a failure and returns how long to wait before the next attempt. */
    public Duration nextDelay() {
        failures++;
        long ceiling = initialNanos;
        for (int i = 1; i < failures && ceiling < maxNanos; i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, maxNanos);
        long half = ceiling / 2;
        return Duration.ofNanos(half + (long) (random.getAsDouble() * (ceiling - half)));
    }

    /** Records a success: the next failure waits the initial time again. */
    public void reset() {
        failures = 0;
    }

    /** Returns the number of consecutive failures since the last success. */
    public int failures() {
        return failures;
    }
}
