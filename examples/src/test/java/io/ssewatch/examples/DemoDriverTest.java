package io.ssewatch.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ssewatch.api.memory.InMemoryStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DemoDriverTest {

    private final InMemoryStore store = new InMemoryStore();
    private final ControlPlane controlPlane = new ControlPlane(store);
    private final SeedData seed = SeedData.load(controlPlane);
    private final Volumes volumes = controlPlane.volumes();
    private final DemoDriver driver = new DemoDriver(volumes, seed.clusterId(), seed.poolId(),
            DemoDriver.DEFAULT_INTERVAL);

    @AfterEach
    void stop() {
        driver.close();
        store.close();
    }

    @Test
    void step_drivesVolumeThroughLifeCycle() {
        driver.step();
        String id = driver.liveVolumeIds().get(0);
        JsonNode created = volume(id);
        assertThat(created.path("name").asText()).isEqualTo("demo-1");
        assertThat(created.path("status").asText()).isEqualTo("in_creation");
        assertThat(created.path("used_bytes").asLong()).isZero();

        driver.step();
        assertThat(volume(id).path("status").asText()).isEqualTo("online");

        long size = DemoDriver.VOLUME_SIZE;
        driver.step();
        assertThat(volume(id).path("used_bytes").asLong()).isEqualTo(size / 4);
        driver.step();
        assertThat(volume(id).path("used_bytes").asLong()).isEqualTo(size / 2);
        driver.step();
        assertThat(volume(id).path("used_bytes").asLong()).isEqualTo(size / 4 * 3);
        assertThat(volume(id).path("status").asText()).isEqualTo("online");

        driver.step();
        assertThat(volume(id).path("status").asText()).isEqualTo("in_deletion");

        driver.step();
        assertThatThrownBy(() -> volumes.get(seed.clusterId(), seed.poolId(), id))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.status()).isEqualTo(404));
        assertThat(driver.liveVolumeIds()).doesNotContain(id);
    }

    @Test
    void step_startsNewVolumeEveryThirdStep() {
        for (int i = 0; i < 7; i++) {
            driver.step();
        }

        assertThat(driver.liveVolumeIds()).hasSize(2);
        assertThat(driver.liveVolumeIds()).extracting(id -> volume(id).path("name").asText())
                .containsExactly("demo-2", "demo-3");
        assertThat(controlPlane.getStoragePool(seed.clusterId(), seed.poolId()).body()
                .path("volume_count").asLong()).isEqualTo(2 + 2);
    }

    @Test
    void step_leavesSeedVolumesAlone() {
        JsonNode before = volume(seed.volumeIds().get(0));

        for (int i = 0; i < 10; i++) {
            driver.step();
        }

        assertThat(volume(seed.volumeIds().get(0))).isEqualTo(before);
    }

    @Test
    void step_volumeDeletedElsewhere_forgotten() {
        driver.step();
        String id = driver.liveVolumeIds().get(0);
        volumes.delete(seed.clusterId(), seed.poolId(), id);

        driver.step();

        assertThat(driver.liveVolumeIds()).isEmpty();
    }

    @Test
    void step_poolDeleted_stopsQuietly() {
        driver.step();
        controlPlane.deleteStoragePool(seed.clusterId(), seed.poolId());

        for (int i = 0; i < 4; i++) {
            driver.step();
        }

        assertThat(driver.liveVolumeIds()).isEmpty();
        assertThat(driver.toString()).contains("stopped");
    }

    @Test
    void start_firstVolumeAppearsAtOnce() {
        driver.start();

        await("first demo volume").atMost(Duration.ofSeconds(1))
                .until(() -> !driver.liveVolumeIds().isEmpty());
    }

    @Test
    void close_stopsDriverThread() {
        driver.start();
        await("first demo volume").atMost(Duration.ofSeconds(1))
                .until(() -> !driver.liveVolumeIds().isEmpty());

        driver.close();
        driver.close();

        await("demo-driver thread ends").atMost(Duration.ofSeconds(5))
                .until(() -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().equals("demo-driver") && t.isAlive()));
    }

    @Test
    void start_twice_rejected() {
        driver.start();

        assertThatThrownBy(driver::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already been started");
    }

    private JsonNode volume(String id) {
        return volumes.get(seed.clusterId(), seed.poolId(), id).body();
    }
}
