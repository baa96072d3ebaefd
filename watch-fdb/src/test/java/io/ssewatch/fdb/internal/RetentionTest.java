package io.ssewatch.fdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionTest {

    private static final long SECOND = Retention.VERSIONS_PER_SECOND;

    @Test
    void cutoffVersion_millionPerSecond() {
        Retention retention = new Retention(Duration.ofSeconds(10), 1_000);

        assertThat(retention.cutoffVersion(100 * SECOND)).isEqualTo(90 * SECOND);
        assertThat(retention.cutoffVersion(5 * SECOND)).isZero();
    }

    @Test
    void cutoffVersion_hugeAge_saturates() {
        Retention retention = new Retention(Duration.ofDays(365L * 1_000_000), 1_000);

        assertThat(retention.cutoffVersion(Long.MAX_VALUE - 1)).isZero();
    }

    @Test
    void transactionsToTrim_byAge() {
        Retention retention = new Retention(Duration.ofSeconds(10), 1_000_000);
        List<Retention.CommitSize> oldest = List.of(
                new Retention.CommitSize(80 * SECOND, 10),
                new Retention.CommitSize(89 * SECOND, 10),
                new Retention.CommitSize(90 * SECOND, 10),
                new Retention.CommitSize(95 * SECOND, 10));

        assertThat(retention.transactionsToTrim(oldest, 40, 100 * SECOND)).isEqualTo(2);
    }

    @Test
    void transactionsToTrim_bySize() {
        Retention retention = new Retention(Duration.ofHours(1), 25);
        List<Retention.CommitSize> oldest = List.of(
                new Retention.CommitSize(99 * SECOND, 10),
                new Retention.CommitSize(99 * SECOND, 10),
                new Retention.CommitSize(99 * SECOND, 10),
                new Retention.CommitSize(99 * SECOND, 10));

        assertThat(retention.transactionsToTrim(oldest, 40, 100 * SECOND)).isEqualTo(2);
    }

    @Test
    void transactionsToTrim_withinLimits_isZero() {
        Retention retention = new Retention(Duration.ofHours(1), 1_000);
        List<Retention.CommitSize> oldest = List.of(new Retention.CommitSize(99 * SECOND, 10));

        assertThat(retention.transactionsToTrim(oldest, 10, 100 * SECOND)).isZero();
    }

    @Test
    void invalidLimits_rejected() {
        assertThatThrownBy(() -> new Retention(Duration.ZERO, 1))
                .hasMessageContaining("max age");
        assertThatThrownBy(() -> new Retention(Duration.ofSeconds(1), 0))
                .hasMessageContaining("max bytes");
    }
}
