package io.ssewatch.examples;

import static io.ssewatch.examples.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssewatch.api.PathParams;
import io.ssewatch.api.Resource;
import io.ssewatch.api.ResourceRef;
import io.ssewatch.api.WatchRoute;
import io.ssewatch.api.memory.InMemoryStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchRoutesTest {

    private static final String CLUSTER = "00000000-0000-4000-8000-00000000000c";
    private static final String POOL = "00000000-0000-4000-8000-00000000000b";
    private static final String VOLUME = "00000000-0000-4000-8000-00000000000a";
    private static final String NODE = "00000000-0000-4000-8000-00000000000d";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<WatchRoute> routes = WatchRoutes.all();
    private final ApiFixture api = new ApiFixture(new InMemoryStore());

    @AfterEach
    void closeStore() {
        api.close();
    }

    @Test
    void all_oneRoutePerGetEndpoint() {
        assertThat(routes).hasSize(8);
        for (Endpoint endpoint : Endpoint.values()) {
            assertThat(endpoint.methods()).contains("GET");
            String path = concrete(endpoint.template());
            List<WatchRoute> matching = new ArrayList<>();
            routes.stream().filter(r -> r.match(path) != null).forEach(matching::add);

            assertThat(matching).as("routes matching %s", path).hasSize(1);
            WatchRoute route = matching.get(0);
            assertThat(route.pathTemplate()).isEqualTo(endpoint.template());
            assertThat(route.isDetail()).as("%s is a detail route", path)
                    .isEqualTo(endpoint.template().endsWith("}/"));
        }
    }

    @Test
    void volumeRoutes_watchPoolPartition() {
        for (String template : List.of(ApiPaths.VOLUMES, ApiPaths.VOLUME)) {
            WatchRoute route = route(template);
            PathParams params = route.match(concrete(template));

            assertThat(route.collection(params)).isEqualTo(CollectionNames.volumes(CLUSTER, POOL));
            assertThat(route.parents(params)).containsExactly(
                    new ResourceRef(CollectionNames.CLUSTERS, CLUSTER),
                    new ResourceRef(CollectionNames.storagePools(CLUSTER), POOL));
            assertThat(route.renderer()).isSameAs(Renderers.VOLUME);
        }
        WatchRoute detail = route(ApiPaths.VOLUME);
        assertThat(detail.resourceId(detail.match(concrete(ApiPaths.VOLUME)))).isEqualTo(VOLUME);
    }

    @Test
    void clusterChildRoutes_dependOnCluster() {
        List<String> templates = List.of(ApiPaths.STORAGE_POOLS, ApiPaths.STORAGE_POOL,
                ApiPaths.STORAGE_NODES, ApiPaths.STORAGE_NODE);
        for (String template : templates) {
            WatchRoute route = route(template);
            PathParams params = route.match(concrete(template));

            String expected = template.contains("storage-pools")
                    ? CollectionNames.storagePools(CLUSTER)
                    : CollectionNames.storageNodes(CLUSTER);
            assertThat(route.collection(params)).as(template).isEqualTo(expected);
            assertThat(route.parents(params)).as(template)
                    .containsExactly(new ResourceRef(CollectionNames.CLUSTERS, CLUSTER));
        }
    }

    @Test
    void clusterRoutes_haveNoParents() {
        for (String template : List.of(ApiPaths.CLUSTERS, ApiPaths.CLUSTER)) {
            WatchRoute route = route(template);
            PathParams params = route.match(concrete(template));

            assertThat(route.collection(params)).isEqualTo(CollectionNames.CLUSTERS);
            assertThat(route.parents(params)).isEmpty();
        }
    }

    @Test
    void volumeListOrder_matchesListEndpoint() throws Exception {
        // In these tests ids sort the other way round from names, so an order by id fails.
        // The copies bypass Volumes, so the pool's volume_count is off; nothing here reads it.
        String volumes = CollectionNames.volumes(api.seed.clusterId(), api.seed.poolId());
        putCopy(volumes, api.seed.volumeIds().get(0), "ffffffff-0000-4000-8000-000000000000",
                "a-first");
        putCopy(volumes, api.seed.volumeIds().get(0), "00000000-0000-4000-8000-000000000000",
                "z-last");

        assertSnapshotMatchesList(ApiPaths.VOLUMES, api.volumesPath());
    }

    @Test
    void storageNodeListOrder_matchesListEndpoint() throws Exception {
        String nodes = CollectionNames.storageNodes(api.seed.clusterId());
        ObjectNode node = MAPPER.createObjectNode()
                .put("hostname", "aaa-node")
                .put("cluster_id", api.seed.clusterId())
                .put("status", "online");
        api.store.put(nodes, "ffffffff-0000-4000-8000-000000000000",
                node.deepCopy().put("id", "ffffffff-0000-4000-8000-000000000000"));
        api.store.put(nodes, "00000000-0000-4000-8000-000000000000",
                node.deepCopy().put("id", "00000000-0000-4000-8000-000000000000")
                        .put("hostname", "zzz-node"));

        assertSnapshotMatchesList(ApiPaths.STORAGE_NODES, api.clusterPath() + "storage-nodes/");
    }

    @Test
    void clusterAndPoolListOrder_matchesListEndpoint() throws Exception {
        String pools = CollectionNames.storagePools(api.seed.clusterId());
        putCopy(CollectionNames.CLUSTERS, api.seed.clusterId(),
                "ffffffff-0000-4000-8000-000000000000", "aa");
        putCopy(CollectionNames.CLUSTERS, api.seed.clusterId(),
                "00000000-0000-4000-8000-000000000000", "zz");
        putCopy(pools, api.seed.poolId(), "ffffffff-0000-4000-8000-000000000000", "aa");
        putCopy(pools, api.seed.poolId(), "00000000-0000-4000-8000-000000000000", "zz");

        assertSnapshotMatchesList(ApiPaths.CLUSTERS, ApiPaths.CLUSTERS);
        assertSnapshotMatchesList(ApiPaths.STORAGE_POOLS, api.clusterPath() + "storage-pools/");
    }

    /**
     * Renders the route's collection in the route's order, as a list snapshot would, and
     * compares it with the list endpoint's body as JSON text, because Jackson's tree equality
     * distinguishes an int node from a long node of the same value.
     */
    private void assertSnapshotMatchesList(String template, String path) throws Exception {
        WatchRoute route = route(template);
        PathParams params = route.match(path);
        List<Resource> resources = new ArrayList<>(
                api.store.readSnapshot(route.collection(params)).join().resources());
        resources.sort(route.order());
        ArrayNode snapshot = MAPPER.createArrayNode();
        resources.forEach(r -> snapshot.add(MAPPER.valueToTree(route.renderer().render(r))));

        JsonNode list = json(api.get(path));

        assertThat(list.size()).as("resources at %s", path).isGreaterThanOrEqualTo(2);
        assertThat(MAPPER.writeValueAsString(snapshot)).as("snapshot of %s", path)
                .isEqualTo(MAPPER.writeValueAsString(list));
    }

    private void putCopy(String collection, String sourceId, String id, String name) {
        ObjectNode body = api.store.get(collection, sourceId).orElseThrow().body().deepCopy();
        body.put("id", id).put("name", name);
        api.store.put(collection, id, body);
    }

    private WatchRoute route(String template) {
        return routes.stream().filter(r -> r.pathTemplate().equals(template)).findFirst()
                .orElseThrow(() -> new AssertionError("no watch route for " + template));
    }

    private static String concrete(String template) {
        return template.replace("{cluster}", CLUSTER).replace("{pool}", POOL)
                .replace("{volume}", VOLUME).replace("{node}", NODE);
    }
}
