package io.ssewatch.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssewatch.api.Resource;
import io.ssewatch.api.memory.InMemoryStore;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SeedDataTest {

    private final InMemoryStore store = new InMemoryStore();
    private final ControlPlane controlPlane = new ControlPlane(store);
    private final SeedData seed = SeedData.load(controlPlane);

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void seed_oneClusterWithOnePool() {
        List<Resource> clusters = controlPlane.listClusters();
        List<Resource> pools = controlPlane.listStoragePools(seed.clusterId());

        assertThat(clusters).extracting(Resource::id).containsExactly(seed.clusterId());
        assertThat(clusters.get(0).body().path("name").asText()).isEqualTo("cluster-1");
        assertThat(pools).extracting(Resource::id).containsExactly(seed.poolId());
        assertThat(pools.get(0).body().path("name").asText()).isEqualTo("pool-1");
        assertThat(pools.get(0).body().path("volume_count").asLong()).isEqualTo(2);
    }

    @Test
    void seed_twoStorageNodes() {
        List<Resource> nodes = controlPlane.listStorageNodes(seed.clusterId());

        assertThat(nodes).extracting(Resource::id).containsExactlyElementsOf(seed.storageNodeIds());
        assertThat(nodes).extracting(node -> node.body().path("hostname").asText())
                .containsExactly("storage-node-1", "storage-node-2");
    }

    @Test
    void seed_twoOnlineVolumes() {
        List<Resource> volumes = controlPlane.volumes().list(seed.clusterId(), seed.poolId());

        assertThat(volumes).extracting(Resource::id).containsExactlyElementsOf(seed.volumeIds());
        assertThat(volumes).extracting(volume -> volume.body().path("status").asText())
                .containsOnly("online");

        Resource small = volumes.get(0);
        assertThat(small.body().path("name").asText()).isEqualTo("vol-1");
        assertThat(small.body().path("size").asLong()).isEqualTo(10 * SeedData.GIB);
        assertThat(small.body().path("used_bytes").asLong()).isEqualTo(10 * SeedData.GIB / 4);
        assertThat(small.body().path("high_availability").asBoolean()).isFalse();
        assertThat(small.body().path("storage_node_id").asText())
                .isEqualTo(seed.storageNodeIds().get(0));

        Resource large = volumes.get(1);
        assertThat(large.body().path("name").asText()).isEqualTo("vol-2");
        assertThat(large.body().path("size").asLong()).isEqualTo(100 * SeedData.GIB);
        assertThat(large.body().path("high_availability").asBoolean()).isTrue();
        assertThat(large.body().path("max_rw_iops").asLong()).isEqualTo(20_000);
        assertThat(large.body().path("node_ids")).hasSize(2);
    }

    @Test
    void seed_newIdsOnEveryLoad() {
        try (InMemoryStore other = new InMemoryStore()) {
            SeedData second = SeedData.load(new ControlPlane(other));

            assertThat(second.clusterId()).isNotEqualTo(seed.clusterId());
            assertThat(second.poolId()).isNotEqualTo(seed.poolId());
        }
    }
}
