package io.ssewatch.fdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.apple.foundationdb.subspace.Subspace;
import com.apple.foundationdb.tuple.Tuple;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FdbStoreConfigTest {

    @Test
    void defaults() {
        FdbStoreConfig config = FdbStoreConfig.builder().build();

        assertThat(config.apiVersion()).isEqualTo(730);
        assertThat(config.clusterFile()).isEmpty();
        assertThat(config.subspace()).isEqualTo(new Subspace(Tuple.from("sse-watch")));
        assertThat(config.directory()).isEmpty();
        assertThat(config.logMaxAge()).isEqualTo(Duration.ofHours(1));
        assertThat(config.maxWatches()).isEqualTo(9_000);
        assertThat(config.maxBodyBytes()).isEqualTo(1_000_000);
    }

    @Test
    void directory_replacesSubspace() {
        FdbStoreConfig config = FdbStoreConfig.builder().directory(List.of("app", "watch"))
                .build();

        assertThat(config.directory()).contains(List.of("app", "watch"));
        assertThat(config.toString()).contains("directory=[app, watch]");
    }

    @Test
    void apiVersion_outOfRange_rejected() {
        assertThatThrownBy(() -> FdbStoreConfig.builder().apiVersion(520))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiVersion: 520")
                .hasMessageContaining("610 to 730");
        assertThatThrownBy(() -> FdbStoreConfig.builder().apiVersion(740))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidValues_rejectedNamingSetting() {
        assertThatThrownBy(() -> FdbStoreConfig.builder().logMaxAge(Duration.ZERO))
                .hasMessageContaining("logMaxAge");
        assertThatThrownBy(() -> FdbStoreConfig.builder().operationTimeout(Duration.ofHours(1)))
                .hasMessageContaining("operationTimeout");
        assertThatThrownBy(() -> FdbStoreConfig.builder().maxBodyBytes(5_000_000))
                .hasMessageContaining("maxBodyBytes");
        assertThatThrownBy(() -> FdbStoreConfig.builder().snapshotPageRows(10))
                .hasMessageContaining("snapshotPageRows");
        assertThatThrownBy(() -> FdbStoreConfig.builder().directory(List.of()))
                .hasMessageContaining("directory");
        assertThatThrownBy(() -> FdbStoreConfig.builder()
                .backoff(Duration.ofSeconds(1), Duration.ofMillis(1)))
                .hasMessageContaining("backoff max");
    }
}
