package io.ssewatch.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssewatch.api.Renderer;
import io.ssewatch.api.Resource;

/**
 * The JSON that the endpoints return for each stored resource. The REST API and the watch
 * routes use the same instances, so a GET and a watch show the same object, and the watch
 * core can share the rendered bytes among all watches of a collection.
 */
public final class Renderers {

    /** Clusters are returned as stored. */
    public static final Renderer CLUSTER = Renderer.IDENTITY;

    /** Storage pools are returned as stored. */
    public static final Renderer STORAGE_POOL = Renderer.IDENTITY;

    /** Storage nodes are returned as stored. */
    public static final Renderer STORAGE_NODE = Renderer.IDENTITY;

    /**
     * Volumes: {@code pool_id} becomes {@code pool_uuid}, the node ids become the URLs of the
     * storage nodes in {@code nodes}, and {@code used_bytes} becomes a {@code capacity}
     * object with {@code total_bytes}, {@code used_bytes}, {@code free_bytes} and
     * {@code used_percent} (rounded to one decimal).
     */
    public static final Renderer VOLUME = Renderers::renderVolume;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Renderers() {
    }

    private static ObjectNode renderVolume(Resource resource) {
        JsonNode stored = resource.body();
        String clusterId = stored.path("cluster_id").asText();
        ObjectNode volume = JSON.objectNode()
                .put("id", resource.id())
                .put("cluster_id", clusterId)
                .put("storage_node_id", stored.path("storage_node_id").asText())
                .put("name", stored.path("name").asText())
                .put("status", stored.path("status").asText())
                .put("size", stored.path("size").asLong())
                .put("pool_uuid", stored.path("pool_id").asText())
                .put("pool_name", stored.path("pool_name").asText());
        ArrayNode nodes = volume.putArray("nodes");
        for (JsonNode nodeId : stored.path("node_ids")) {
            nodes.add(ApiPaths.storageNode(clusterId, nodeId.asText()));
        }
        volume.put("high_availability", stored.path("high_availability").asBoolean())
                .put("max_rw_iops", stored.path("max_rw_iops").asLong());
        volume.set("capacity", renderCapacity(stored));
        return volume;
    }

    private static ObjectNode renderCapacity(JsonNode stored) {
        long total = stored.path("size").asLong();
        long used = stored.path("used_bytes").asLong();
        double percent = total == 0 ? 0 : Math.round(used * 1000.0 / total) / 10.0;
        return JSON.objectNode()
                .put("total_bytes", total)
                .put("used_bytes", used)
                .put("free_bytes", total - used)
                .put("used_percent", percent);
    }
}
