package io.ssewatch.fdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void nextDelay_doublesUpToMax() {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), () -> 0.999999);

        assertThat(backoff.nextDelay()).isBetween(Duration.ofMillis(9), Duration.ofMillis(10));
        assertThat(backoff.nextDelay()).isBetween(Duration.ofMillis(19), Duration.ofMillis(20));
        assertThat(backoff.nextDelay()).isBetween(Duration.ofMillis(39), Duration.ofMillis(40));
        assertThat(backoff.nextDelay()).isBetween(Duration.ofMillis(49), Duration.ofMillis(50));
        assertThat(backoff.nextDelay()).isBetween(Duration.ofMillis(49), Duration.ofMillis(50));
        assertThat(backoff.failures()).isEqualTo(5);
    }

    @Test
    void nextDelay_jitterKeepsAtLeastHalf() {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), () -> 0.0);

        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(5));
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void reset_startsOver() {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), () -> 0.0);
        backoff.nextDelay();
        backoff.nextDelay();

        backoff.reset();

        assertThat(backoff.failures()).isZero();
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void manyFailures_doNotOverflow() {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1), () -> 0.0);

        for (int i = 0; i < 200; i++) {
            backoff.nextDelay();
        }

        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void maxBelowInitial_rejected() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofMillis(1), () -> 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max backoff");
    }
}
