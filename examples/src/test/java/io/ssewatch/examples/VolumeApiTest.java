package io.ssewatch.examples;

import static io.ssewatch.examples.ApiFixture.detail;
import static io.ssewatch.examples.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ssewatch.api.Revision;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VolumeApiTest {

    private final InterceptingStore store = new InterceptingStore();
    private final ApiFixture api = new ApiFixture(store);

    @AfterEach
    void closeStore() {
        api.close();
    }

    @Test
    void listVolumes_returnsSeedVolumesByName() {
        ApiResponse response = api.get(api.volumesPath());

        assertThat(response.status()).isEqualTo(200);
        JsonNode volumes = json(response);
        assertThat(volumes.findValuesAsText("name")).containsExactly("vol-1", "vol-2");
        assertThat(volumes.findValuesAsText("id")).containsExactlyElementsOf(api.seed.volumeIds());
    }

    @Test
    void getVolume_rendersEveryField() {
        String volumeId = api.seed.volumeIds().get(1);
        String clusterId = api.seed.clusterId();

        JsonNode volume = json(api.get(api.volumePath(volumeId)));

        assertThat(fieldNames(volume)).containsExactly("id", "cluster_id", "storage_node_id",
                "name", "status", "size", "pool_uuid", "pool_name", "nodes",
                "high_availability", "max_rw_iops", "capacity");
        assertThat(volume.path("id").asText()).isEqualTo(volumeId);
        assertThat(volume.path("cluster_id").asText()).isEqualTo(clusterId);
        assertThat(volume.path("storage_node_id").asText())
                .isEqualTo(api.seed.storageNodeIds().get(1));
        assertThat(volume.path("name").asText()).isEqualTo("vol-2");
        assertThat(volume.path("status").asText()).isEqualTo("online");
        assertThat(volume.path("size").asLong()).isEqualTo(100 * SeedData.GIB);
        assertThat(volume.path("pool_uuid").asText()).isEqualTo(api.seed.poolId());
        assertThat(volume.path("pool_name").asText()).isEqualTo("pool-1");
        assertThat(volume.path("nodes").findValuesAsText("")).isEmpty();
        assertThat(textValues(volume.path("nodes"))).containsExactly(
                ApiPaths.storageNode(clusterId, api.seed.storageNodeIds().get(1)),
                ApiPaths.storageNode(clusterId, api.seed.storageNodeIds().get(0)));
        assertThat(volume.path("high_availability").asBoolean()).isTrue();
        assertThat(volume.path("max_rw_iops").asLong()).isEqualTo(20_000);
    }

    @Test
    void getVolume_rendersCapacity() {
        JsonNode capacity = json(api.get(api.volumePath(api.seed.volumeIds().get(0))))
                .path("capacity");

        assertThat(capacity.path("total_bytes").asLong()).isEqualTo(10 * SeedData.GIB);
        assertThat(capacity.path("used_bytes").asLong()).isEqualTo(10 * SeedData.GIB / 4);
        assertThat(capacity.path("free_bytes").asLong()).isEqualTo(10 * SeedData.GIB * 3 / 4);
        assertThat(capacity.path("used_percent").asDouble()).isEqualTo(25.0);
    }

    @Test
    void getVolume_unknown_404() {
        String id = UUID.randomUUID().toString();

        ApiResponse response = api.get(api.volumePath(id));

        assertThat(response.status()).isEqualTo(404);
        assertThat(detail(response)).contains("volume " + id + " not found in storage pool",
                "GET " + api.volumesPath());
    }

    @Test
    void volumesUnderMissingPool_404() {
        String pool = ApiPaths.storagePool(api.seed.clusterId(), UUID.randomUUID().toString());
        List<String> paths = List.of(pool + "volumes/",
                pool + "volumes/" + api.seed.volumeIds().get(0) + "/");

        for (String path : paths) {
            ApiResponse response = api.get(path);
            assertThat(response.status()).as("GET %s", path).isEqualTo(404);
            assertThat(detail(response)).as("GET %s", path).startsWith("storage pool ");
        }
        ApiResponse post = api.post(pool + "volumes/", "{'name': 'vol-3', 'size': 1024}");
        assertThat(post.status()).isEqualTo(404);
        assertThat(detail(post)).startsWith("storage pool ");
    }

    @Test
    void postVolume_createsOnlineVolume() {
        ApiResponse response = api.post(api.volumesPath(),
                "{'name': 'vol-3', 'size': 1073741824, 'max_rw_iops': 500}");

        assertThat(response.status()).isEqualTo(201);
        JsonNode volume = json(response);
        String id = volume.path("id").asText();
        assertThat(RequestBodies.isUuid(id)).as("id %s is a UUID", id).isTrue();
        assertThat(response.headers()).containsEntry("Location", api.volumePath(id));
        assertThat(volume.path("name").asText()).isEqualTo("vol-3");
        assertThat(volume.path("status").asText()).isEqualTo("online");
        assertThat(volume.path("size").asLong()).isEqualTo(SeedData.GIB);
        assertThat(volume.path("max_rw_iops").asLong()).isEqualTo(500);
        assertThat(volume.path("high_availability").asBoolean()).isFalse();
        assertThat(volume.path("nodes")).hasSize(1);
        assertThat(api.seed.storageNodeIds()).contains(volume.path("storage_node_id").asText());
        assertThat(volume.path("capacity").path("used_bytes").asLong()).isZero();
        assertThat(json(api.get(api.volumePath(id)))).isEqualTo(volume);
        assertThat(api.volumeCount()).isEqualTo(3);
    }

    @Test
    void postVolume_highAvailability_usesBothNodes() {
        JsonNode volume = json(api.post(api.volumesPath(),
                "{'name': 'vol-3', 'size': 1024, 'high_availability': true}"));

        String primary = volume.path("storage_node_id").asText();
        String clusterId = api.seed.clusterId();
        assertThat(volume.path("high_availability").asBoolean()).isTrue();
        assertThat(textValues(volume.path("nodes"))).hasSize(2)
                .startsWith(ApiPaths.storageNode(clusterId, primary))
                .containsExactlyInAnyOrder(
                        ApiPaths.storageNode(clusterId, api.seed.storageNodeIds().get(0)),
                        ApiPaths.storageNode(clusterId, api.seed.storageNodeIds().get(1)));
    }

    @Test
    void postVolume_chosenStorageNode() {
        String nodeId = api.seed.storageNodeIds().get(1);

        JsonNode volume = json(api.post(api.volumesPath(),
                "{'name': 'vol-3', 'size': 1024, 'storage_node_id': '" + nodeId + "'}"));

        assertThat(volume.path("storage_node_id").asText()).isEqualTo(nodeId);
        assertThat(textValues(volume.path("nodes")))
                .containsExactly(ApiPaths.storageNode(api.seed.clusterId(), nodeId));
    }

    @Test
    void postVolume_unknownStorageNode_422() {
        String nodeId = UUID.randomUUID().toString();

        ApiResponse response = api.post(api.volumesPath(),
                "{'name': 'vol-3', 'size': 1024, 'storage_node_id': '" + nodeId + "'}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(detail(response)).contains("storage_node_id: \"" + nodeId
                + "\" is not a storage node of cluster", "storage-nodes/");
        assertThat(api.volumeCount()).isEqualTo(2);
    }

    @Test
    void postVolume_clusterWithoutNodes_422() {
        String clusterId = json(api.post(ApiPaths.CLUSTERS, "{'name': 'empty'}"))
                .path("id").asText();
        String poolId = json(api.post(ApiPaths.cluster(clusterId) + "storage-pools/",
                "{'name': 'pool-1'}")).path("id").asText();

        ApiResponse response = api.post(ApiPaths.storagePool(clusterId, poolId) + "volumes/",
                "{'name': 'vol-1', 'size': 1024}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(detail(response)).contains("cluster " + clusterId + " has no storage nodes");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{'size': 1024}                                          | 422 | name is missing",
        "{'name': '', 'size': 1024}                              | 422 | name: \"\" is invalid",
        "{'name': '-vol', 'size': 1024}                          | 422 | name: \"-vol\" is invalid",
        "{'name': 'Vol', 'size': 1024}                           | 422 | name: \"Vol\" is invalid",
        "{'name': 7, 'size': 1024}                               | 422 | name: 7 is invalid",
        "{'name': null, 'size': 1024}                            | 422 | name: null is invalid",
        "{'name': 'vol-3'}                                       | 422 | size is missing",
        "{'name': 'vol-3', 'size': 0}                            | 422 | size: 0 is invalid",
        "{'name': 'vol-3', 'size': -1}                           | 422 | size: -1 is invalid",
        "{'name': 'vol-3', 'size': 1.5}                          | 422 | size: 1.5 is invalid",
        "{'name': 'vol-3', 'size': '1024'}                       | 422 | size: \"1024\"",
        "{'name': 'vol-3', 'size': 1e40}                         | 422 | size: 1.0E40",
        "{'name': 'vol-3', 'size': 99999999999999999999}         | 422 | size: 9999999999999999999",
        "{'name': 'vol-3', 'size': 1024, 'high_availability': 1} | 422 | high_availability: 1",
        "{'name': 'vol-3', 'size': 1024, 'max_rw_iops': -5}      | 422 | max_rw_iops: -5",
        "{'name': 'vol-3', 'size': 1024, 'storage_node_id': 'x'} | 422 | storage_node_id: \"x\"",
        "{'name': 'vol-3', 'size': 1024, 'status': 'online'}     | 422 | field \"status\"",
        "[]                                                      | 422 | is a JSON array",
        "`'vol-3'`                                               | 422 | is a JSON string",
        "{'name': 'vol-3', 'size': 1024                          | 400 | not valid JSON",
        "{'name': 'vol-3', 'name': 'vol-4', 'size': 1024}        | 400 | Duplicate field",
        "{'name': 'vol-3', 'size': 1024} {}                      | 400 | not valid JSON",
        "`  `                                                    | 400 | body is empty",
    })
    void postVolume_invalidBody_rejected(String body, int status, String message) {
        ApiResponse response = api.post(api.volumesPath(), body);

        assertThat(response.status()).as(response.bodyText()).isEqualTo(status);
        assertThat(detail(response)).contains(message).contains("expected");
        assertThat(api.volumeCount()).isEqualTo(2);
    }

    @Test
    void patchVolume_mergesGivenFields() {
        String volumeId = api.seed.volumeIds().get(1);
        JsonNode before = json(api.get(api.volumePath(volumeId)));

        ApiResponse response = api.patch(api.volumePath(volumeId), "{'name': 'vol-renamed'}");

        assertThat(response.status()).isEqualTo(200);
        JsonNode after = json(response);
        assertThat(after.path("name").asText()).isEqualTo("vol-renamed");
        assertThat(after.path("size")).isEqualTo(before.path("size"));
        assertThat(after.path("max_rw_iops")).isEqualTo(before.path("max_rw_iops"));
        assertThat(after.path("nodes")).isEqualTo(before.path("nodes"));
        assertThat(after.path("capacity")).isEqualTo(before.path("capacity"));
        assertThat(json(api.get(api.volumePath(volumeId)))).isEqualTo(after);
    }

    @Test
    void patchVolume_growsSizeAndSetsIops() {
        String volumeId = api.seed.volumeIds().get(0);

        JsonNode after = json(api.patch(api.volumePath(volumeId),
                "{'size': 21474836480, 'max_rw_iops': 1000}"));

        assertThat(after.path("size").asLong()).isEqualTo(20 * SeedData.GIB);
        assertThat(after.path("max_rw_iops").asLong()).isEqualTo(1000);
        assertThat(after.path("name").asText()).isEqualTo("vol-1");
        assertThat(after.path("capacity").path("total_bytes").asLong())
                .isEqualTo(20 * SeedData.GIB);
        assertThat(after.path("capacity").path("used_percent").asDouble()).isEqualTo(12.5);
    }

    @Test
    void patchVolume_shrink_422() {
        String volumeId = api.seed.volumeIds().get(0);

        ApiResponse response = api.patch(api.volumePath(volumeId), "{'size': 1024}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(detail(response)).contains("size: 1024 is smaller than the current size "
                + 10 * SeedData.GIB, "cannot shrink");
        assertThat(json(api.get(api.volumePath(volumeId))).path("size").asLong())
                .isEqualTo(10 * SeedData.GIB);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{'status': 'in_deletion'}              | field \"status\" cannot be changed with PATCH",
        "{'pool_uuid': 'x'}                     | field \"pool_uuid\" cannot be changed with PATCH",
        "{'colour': 'red'}                      | unknown field \"colour\"",
        "{'name': 'ok', 'high_availability': 1} | field \"high_availability\" cannot be changed",
        "{'max_rw_iops': 'fast'}                | max_rw_iops: \"fast\" is invalid",
        "{'name': null}                         | name: null is invalid",
    })
    void patchVolume_invalidField_422(String body, String message) {
        String volumeId = api.seed.volumeIds().get(0);
        JsonNode before = json(api.get(api.volumePath(volumeId)));

        ApiResponse response = api.patch(api.volumePath(volumeId), body);

        assertThat(response.status()).as(response.bodyText()).isEqualTo(422);
        assertThat(detail(response)).contains(message);
        assertThat(detail(response)).contains("(expected");
        assertThat(json(api.get(api.volumePath(volumeId)))).isEqualTo(before);
    }

    @Test
    void patchVolume_readOnlyField_namesAcceptedFields() {
        ApiResponse response = api.patch(api.volumePath(api.seed.volumeIds().get(0)),
                "{'status': 'online'}");

        assertThat(detail(response)).isEqualTo("field \"status\" cannot be changed with PATCH "
                + "(expected one of: name, size, max_rw_iops)");
    }

    @Test
    void patchVolume_emptyObject_changesNothing() {
        String volumeId = api.seed.volumeIds().get(0);
        JsonNode before = json(api.get(api.volumePath(volumeId)));
        Revision revision = store.delegate.currentRevision();

        ApiResponse response = api.patch(api.volumePath(volumeId), "{}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(before);
        assertThat(store.delegate.currentRevision()).as("store revision").isEqualTo(revision);
    }

    @Test
    void patchVolume_mergePatchContentType_accepted() {
        String path = api.volumePath(api.seed.volumeIds().get(0));
        byte[] body = ApiFixture.quotes("{'name': 'vol-x'}").getBytes();

        ApiResponse response = api.api.handle(
                new ApiRequest("PATCH", path, null, "application/merge-patch+json", body));

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).path("name").asText()).isEqualTo("vol-x");
    }

    @Test
    void patchVolume_inDeletion_409() {
        String volumeId = api.seed.volumeIds().get(0);
        api.controlPlane.volumes().setStatus(api.seed.clusterId(), api.seed.poolId(), volumeId,
                VolumeStatus.IN_DELETION);

        ApiResponse response = api.patch(api.volumePath(volumeId), "{'name': 'vol-x'}");

        assertThat(response.status()).isEqualTo(409);
        assertThat(detail(response)).contains("volume " + volumeId + " is in_deletion");
    }

    @Test
    void patchVolume_unknown_404() {
        ApiResponse response = api.patch(api.volumePath(UUID.randomUUID().toString()),
                "{'name': 'vol-x'}");

        assertThat(response.status()).isEqualTo(404);
    }

    @Test
    void deleteVolume_removesItAndCountsDown() {
        String volumeId = api.seed.volumeIds().get(0);

        ApiResponse response = api.delete(api.volumePath(volumeId));

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(api.get(api.volumePath(volumeId)).status()).isEqualTo(404);
        assertThat(json(api.get(api.volumesPath())).findValuesAsText("name"))
                .containsExactly("vol-2");
        assertThat(api.volumeCount()).isEqualTo(1);
    }

    @Test
    void deleteVolume_twice_404() {
        String volumeId = api.seed.volumeIds().get(0);
        api.delete(api.volumePath(volumeId));

        ApiResponse response = api.delete(api.volumePath(volumeId));

        assertThat(response.status()).isEqualTo(404);
        assertThat(detail(response)).contains("volume " + volumeId + " not found");
        assertThat(api.volumeCount()).isEqualTo(1);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private static List<String> textValues(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
