package io.ssewatch.client;

import java.util.function.DoubleSupplier;

/**
 * Computes how long to wait before a reconnect.
 *
 * <p>The floor is the server's {@code retry:} value, or the minimum backoff while the server
 * has sent none. A reconnect after a healthy stream ended waits exactly the floor. After
 * {@code n} failed attempts in a row the delay grows as {@code base * 2^(n-1)}, where base is
 * the larger of floor and minimum backoff, up to the maximum backoff (or the floor, if that
 * is larger). The result is then drawn uniformly from the upper half of that range ("equal
 * jitter"), so that clients that failed together do not retry together, and is never below
 * the floor or below a server's {@code Retry-After}.
 */
final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private final DoubleSupplier random;

    /**
     * @param random returns values in [0, 1)
     */
    Backoff(long minMillis, long maxMillis, DoubleSupplier random) {
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.random = random;
    }

    /**
     * Returns the delay in milliseconds.
     *
     * @param failures failed attempts since the last healthy stream, 0 after a healthy one
     * @param serverRetryMillis the server's last {@code retry:} value, or -1 for none
     * @param retryAfterMillis the last response's {@code Retry-After}, or -1 for none
     */
    long delayMillis(int failures, long serverRetryMillis, long retryAfterMillis) {
        long floor = serverRetryMillis >= 0 ? serverRetryMillis : minMillis;
        long delay = floor;
        if (failures > 0) {
            long base = Math.max(floor, minMillis);
            long cap = Math.max(maxMillis, floor);
            long grown = doubled(base, failures - 1, cap);
            long half = grown / 2;
            long jittered = half + (long) (random.getAsDouble() * (grown - half + 1));
            delay = Math.max(floor, Math.min(jittered, grown));
        }
        return Math.max(delay, retryAfterMillis);
    }

    /** Returns {@code value * 2^times}, or {@code cap} if that would be larger. */
    private static long doubled(long value, int times, long cap) {
        long result = Math.min(value, cap);
        for (int i = 0; i < times && result < cap; i++) {
            result = result > cap / 2 ? cap : result * 2;
        }
        return result;
    }
}
