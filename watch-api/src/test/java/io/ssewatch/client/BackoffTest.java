package io.ssewatch.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final double LOWEST = 0.0;
    private static final double HIGHEST = 0.999_999;

    private static long delay(double random, int failures, long serverRetry, long retryAfter) {
        return new Backoff(1000, 30_000, () -> random)
                .delayMillis(failures, serverRetry, retryAfter);
    }

    @Test
    void healthyStreamEnded_waitsFloor() {
        assertThat(delay(HIGHEST, 0, -1, -1)).as("no retry: from the server").isEqualTo(1000);
        assertThat(delay(HIGHEST, 0, 3000, -1)).as("retry: 3000").isEqualTo(3000);
        assertThat(delay(LOWEST, 0, 200, -1)).as("retry: 200, below the minimum").isEqualTo(200);
    }

    @Test
    void failures_doubleWithEqualJitter() {
        long[][] expectedRanges = {
            {1000, 1000}, {1000, 2000}, {2000, 4000}, {4000, 8000}, {8000, 16_000},
            {15_000, 30_000}, {15_000, 30_000},
        };
        for (int failures = 1; failures <= expectedRanges.length; failures++) {
            long[] range = expectedRanges[failures - 1];
            assertThat(delay(LOWEST, failures, -1, -1)).as("lowest after %d failures", failures)
                    .isEqualTo(range[0]);
            assertThat(delay(HIGHEST, failures, -1, -1)).as("highest after %d failures", failures)
                    .isEqualTo(range[1]);
        }
    }

    @Test
    void failures_neverOverflow() {
        assertThat(delay(HIGHEST, Integer.MAX_VALUE, -1, -1)).isEqualTo(30_000);
        assertThat(delay(HIGHEST, 64, Long.MAX_VALUE / 2, -1)).isEqualTo(Long.MAX_VALUE / 2);
    }

    @Test
    void serverRetryZero_stillBacksOffOnFailure() {
        assertThat(delay(HIGHEST, 0, 0, -1)).as("after a healthy stream").isZero();
        assertThat(delay(LOWEST, 3, 0, -1)).as("lowest after 3 failures").isEqualTo(2000);
    }

    @Test
    void serverRetryAboveMax_isFloor() {
        assertThat(delay(LOWEST, 5, 60_000, -1)).isEqualTo(60_000);
        assertThat(delay(HIGHEST, 5, 60_000, -1)).isEqualTo(60_000);
    }

    @Test
    void retryAfter_isFloor() {
        assertThat(delay(LOWEST, 1, -1, 5000)).isEqualTo(5000);
        assertThat(delay(LOWEST, 0, 3000, 90_000)).isEqualTo(90_000);
    }
}
