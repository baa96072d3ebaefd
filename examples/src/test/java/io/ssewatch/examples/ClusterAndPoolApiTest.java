package io.ssewatch.examples;

import static io.ssewatch.examples.ApiFixture.detail;
import static io.ssewatch.examples.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ssewatch.api.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClusterAndPoolApiTest {

    private final InterceptingStore store = new InterceptingStore();
    private final ApiFixture api = new ApiFixture(store);

    @AfterEach
    void closeStore() {
        api.close();
    }

    @Test
    void listClusters_returnsSeedCluster() {
        ApiResponse response = api.get(ApiPaths.CLUSTERS);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("Content-Type", "application/json");
        JsonNode clusters = json(response);
        assertThat(clusters).hasSize(1);
        assertThat(clusters.get(0).path("id").asText()).isEqualTo(api.seed.clusterId());
        assertThat(clusters.get(0).path("name").asText()).isEqualTo("cluster-1");
        assertThat(clusters.get(0).path("status").asText()).isEqualTo("online");
    }

    @Test
    void listClusters_withoutTrailingSlash() {
        assertThat(api.get("/api/v2/clusters").status()).isEqualTo(200);
    }

    @Test
    void postCluster_createsAndListsByName() {
        ApiResponse response = api.post(ApiPaths.CLUSTERS, "{'name': 'a-cluster'}");

        assertThat(response.status()).isEqualTo(201);
        JsonNode created = json(response);
        String id = created.path("id").asText();
        assertThat(RequestBodies.isUuid(id)).as("id %s is a UUID", id).isTrue();
        assertThat(created.path("name").asText()).isEqualTo("a-cluster");
        assertThat(response.headers()).containsEntry("Location", ApiPaths.cluster(id));
        assertThat(json(api.get(ApiPaths.cluster(id)))).isEqualTo(created);
        JsonNode clusters = json(api.get(ApiPaths.CLUSTERS));
        assertThat(clusters.findValuesAsText("name")).containsExactly("a-cluster", "cluster-1");
    }

    @Test
    void postCluster_invalidName_422() {
        ApiResponse response = api.post(ApiPaths.CLUSTERS, "{'name': 'Cluster_2'}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(detail(response)).contains("name: \"Cluster_2\" is invalid",
                "lowercase letters, digits or hyphens");
    }

    @Test
    void getCluster_unknown_404() {
        String id = UUID.randomUUID().toString();

        ApiResponse response = api.get(ApiPaths.cluster(id));

        assertThat(response.status()).isEqualTo(404);
        assertThat(detail(response)).contains("cluster " + id + " not found",
                "GET " + ApiPaths.CLUSTERS);
    }

    @Test
    void listStoragePools_returnsSeedPool() {
        JsonNode pools = json(api.get(api.clusterPath() + "storage-pools/"));

        assertThat(pools).hasSize(1);
        JsonNode pool = pools.get(0);
        assertThat(pool.path("id").asText()).isEqualTo(api.seed.poolId());
        assertThat(pool.path("cluster_id").asText()).isEqualTo(api.seed.clusterId());
        assertThat(pool.path("name").asText()).isEqualTo("pool-1");
        assertThat(pool.path("volume_count").asLong()).isEqualTo(2);
    }

    @Test
    void postStoragePool_createsEmptyPool() {
        ApiResponse response = api.post(api.clusterPath() + "storage-pools/", "{'name': 'pool-0'}");

        assertThat(response.status()).isEqualTo(201);
        JsonNode pool = json(response);
        String id = pool.path("id").asText();
        assertThat(pool.path("volume_count").asLong()).isZero();
        assertThat(response.headers())
                .containsEntry("Location", ApiPaths.storagePool(api.seed.clusterId(), id));
        assertThat(json(api.get(ApiPaths.storagePool(api.seed.clusterId(), id)))).isEqualTo(pool);
        String poolPath = ApiPaths.storagePool(api.seed.clusterId(), id);
        JsonNode volumes = json(api.get(poolPath + "volumes/"));
        assertThat(volumes).isEmpty();
        JsonNode pools = json(api.get(api.clusterPath() + "storage-pools/"));
        assertThat(pools.findValuesAsText("name")).containsExactly("pool-0", "pool-1");
    }

    @Test
    void postStoragePool_missingCluster_404() {
        String path = ApiPaths.cluster(UUID.randomUUID().toString()) + "storage-pools/";

        ApiResponse response = api.post(path, "{'name': 'pool-2'}");

        assertThat(response.status()).isEqualTo(404);
        assertThat(detail(response)).contains("not found");
    }

    @Test
    void postStoragePool_missingName_422() {
        ApiResponse response = api.post(api.clusterPath() + "storage-pools/", "{}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(detail(response)).startsWith("name is missing");
    }

    @Test
    void postStoragePool_unknownField_422() {
        ApiResponse response = api.post(api.clusterPath() + "storage-pools/",
                "{'name': 'pool-2', 'size': 5}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(detail(response)).contains("unknown field \"size\"", "expected one of: name)");
    }

    @Test
    void getStoragePool_unknown_404() {
        String id = UUID.randomUUID().toString();

        ApiResponse response = api.get(ApiPaths.storagePool(api.seed.clusterId(), id));

        assertThat(response.status()).isEqualTo(404);
        assertThat(detail(response)).contains("storage pool " + id + " not found in cluster");
    }

    @Test
    void listsUnderMissingCluster_404() {
        String missing = ApiPaths.cluster(UUID.randomUUID().toString());
        List<String> paths = List.of(
                missing,
                missing + "storage-pools/",
                missing + "storage-pools/" + api.seed.poolId() + "/",
                missing + "storage-pools/" + api.seed.poolId() + "/volumes/",
                missing + "storage-pools/" + api.seed.poolId() + "/volumes/"
                        + api.seed.volumeIds().get(0) + "/",
                missing + "storage-nodes/",
                missing + "storage-nodes/" + api.seed.storageNodeIds().get(0) + "/");

        for (String path : paths) {
            ApiResponse response = api.get(path);
            assertThat(response.status()).as("GET %s", path).isEqualTo(404);
            assertThat(detail(response)).as("GET %s", path).startsWith("cluster ");
        }
    }

    @Test
    void deleteStoragePool_cascadesInOneTransaction() {
        int writesBefore = store.writes.get();

        ApiResponse response = api.delete(api.poolPath());

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(store.writes.get() - writesBefore).as("committed transactions").isEqualTo(1);
        assertThat(api.get(api.poolPath()).status()).isEqualTo(404);
        assertThat(api.get(api.volumesPath()).status()).isEqualTo(404);
        for (String volumeId : api.seed.volumeIds()) {
            assertThat(api.get(api.volumePath(volumeId)).status()).isEqualTo(404);
        }
        assertThat(storedVolumes()).isEmpty();
        assertThat(json(api.get(api.clusterPath() + "storage-pools/"))).isEmpty();
    }

    @Test
    void deleteStoragePool_twice_404() {
        api.delete(api.poolPath());

        ApiResponse response = api.delete(api.poolPath());

        assertThat(response.status()).isEqualTo(404);
        assertThat(detail(response)).contains("storage pool " + api.seed.poolId() + " not found");
    }

    @Test
    void deleteStoragePool_racedVolume_deleted() {
        String volumes = CollectionNames.volumes(api.seed.clusterId(), api.seed.poolId());
        List<String> raced = new ArrayList<>();
        store.afterSnapshot = collection -> {
            if (collection.equals(volumes) && raced.isEmpty()) {
                raced.add(createVolume("raced").id());
            }
        };

        ApiResponse response = api.delete(api.poolPath());

        assertThat(response.status()).isEqualTo(204);
        assertThat(raced).hasSize(1);
        assertThat(storedVolumes()).isEmpty();
    }

    @Test
    void deleteStoragePool_raceEveryAttempt_409() {
        String volumes = CollectionNames.volumes(api.seed.clusterId(), api.seed.poolId());
        store.afterSnapshot = collection -> {
            if (collection.equals(volumes)) {
                createVolume("raced");
            }
        };

        ApiResponse response = api.delete(api.poolPath());
        store.afterSnapshot = collection -> { };

        assertThat(response.status()).isEqualTo(409);
        assertThat(detail(response)).contains("was not deleted", "retry");
        assertThat(api.get(api.poolPath()).status()).isEqualTo(200);
        assertThat(storedVolumes()).hasSize(2 + 3);
        assertThat(api.volumeCount()).isEqualTo(5);
    }

    @Test
    void listStorageNodes_returnsSeedNodesByHostname() {
        JsonNode nodes = json(api.get(api.clusterPath() + "storage-nodes/"));

        assertThat(nodes.findValuesAsText("hostname"))
                .containsExactly("storage-node-1", "storage-node-2");
        assertThat(nodes.findValuesAsText("id"))
                .containsExactlyElementsOf(api.seed.storageNodeIds());
        assertThat(nodes.findValuesAsText("cluster_id")).containsOnly(api.seed.clusterId());
        assertThat(nodes.findValuesAsText("status")).containsOnly("online");
    }

    @Test
    void getStorageNode_returnsNode() {
        String nodeId = api.seed.storageNodeIds().get(1);

        ApiResponse response = api.get(ApiPaths.storageNode(api.seed.clusterId(), nodeId));

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).path("id").asText()).isEqualTo(nodeId);
        assertThat(json(response).path("hostname").asText()).isEqualTo("storage-node-2");
    }

    @Test
    void getStorageNode_unknown_404() {
        String id = UUID.randomUUID().toString();

        ApiResponse response = api.get(ApiPaths.storageNode(api.seed.clusterId(), id));

        assertThat(response.status()).isEqualTo(404);
        assertThat(detail(response)).contains("storage node " + id + " not found",
                "storage-nodes/");
    }

    private Resource createVolume(String name) {
        VolumeSpec spec = new VolumeSpec(name, SeedData.GIB, null, false, 0);
        return api.controlPlane.volumes()
                .create(api.seed.clusterId(), api.seed.poolId(), spec, VolumeStatus.ONLINE);
    }

    private List<Resource> storedVolumes() {
        return store.delegate
                .readSnapshot(CollectionNames.volumes(api.seed.clusterId(), api.seed.poolId()))
                .join()
                .resources();
    }
}
