package io.ssewatch.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssewatch.api.Resource;
import io.ssewatch.api.Store;
import io.ssewatch.api.StoreTransaction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The volume operations of the control plane.
 *
 * <p>A stored volume has {@code id}, {@code cluster_id}, {@code pool_id}, {@code pool_name},
 * {@code name}, {@code status} (a {@link VolumeStatus}), {@code size} and
 * {@code used_bytes} (in bytes), {@code storage_node_id} (the primary node),
 * {@code node_ids} (the primary, then the secondary of a highly available volume),
 * {@code high_availability} and {@code max_rw_iops} (0 means no limit). What clients see is
 * rendered from it by {@link Renderers#VOLUME}.
 *
 * <p>Every create and delete also updates the pool's {@code volume_count} in the same
 * transaction, which {@link ControlPlane#deleteStoragePool} relies on, so volumes must be
 * written only through this class. Thread-safe.
 */
public final class Volumes {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ControlPlane controlPlane;
    private final Store store;

    Volumes(ControlPlane controlPlane) {
        this.controlPlane = controlPlane;
        this.store = controlPlane.store();
    }

    /** Returns the volumes of a pool, or throws 404 when the pool or cluster is missing. */
    public List<Resource> list(String clusterId, String poolId) {
        controlPlane.getStoragePool(clusterId, poolId);
        return controlPlane.readSorted(CollectionNames.volumes(clusterId, poolId),
                ListOrder.BY_NAME);
    }

    /** Returns a volume, or throws 404 when it, its pool or its cluster is missing. */
    public Resource get(String clusterId, String poolId, String volumeId) {
        controlPlane.getStoragePool(clusterId, poolId);
        return store.get(CollectionNames.volumes(clusterId, poolId), volumeId)
                .orElseThrow(() -> volumeNotFound(clusterId, poolId, volumeId));
    }

    /**
     * Creates a volume with no data written yet.
     *
     * <p>The primary storage node is {@code spec.storageNodeId()} when given, otherwise one
     * picked from the new volume's id. A highly available volume gets the next node, by id,
     * as its secondary. Throws 404 when the pool or cluster is missing, and 422 when the
     * cluster cannot place the volume.
     */
    public Resource create(String clusterId, String poolId, VolumeSpec spec, VolumeStatus status) {
        controlPlane.getCluster(clusterId);
        String id = ControlPlane.newId();
        // This example never deletes storage nodes, so a list read outside the transaction
        // stays valid.
        List<String> nodeIds = placeVolume(clusterId, id, spec);
        String volumes = CollectionNames.volumes(clusterId, poolId);
        AtomicReference<Resource> created = new AtomicReference<>();
        store.write(tx -> {
            JsonNode pool = ControlPlane.requirePool(tx, clusterId, poolId);
            ObjectNode body = newVolumeBody(id, clusterId, pool, spec, status, nodeIds);
            tx.put(volumes, id, body);
            ControlPlane.adjustVolumeCount(tx, clusterId, poolId, pool, 1);
            created.set(new Resource(id, body));
        });
        return created.get();
    }

    /**
     * Applies the fields that a PATCH sets and keeps the others, in one transaction. Throws
     * 404 when the volume or a parent is missing, 409 when the volume is being deleted, and
     * 422 when the patch would shrink it.
     */
    public Resource patch(String clusterId, String poolId, String volumeId, VolumePatch patch) {
        return modify(clusterId, poolId, volumeId, volume -> {
            if (VolumeStatus.IN_DELETION.wireName().equals(volume.path("status").asText())) {
                throw ApiException.conflict("volume " + volumeId + " is in_deletion and can no "
                        + "longer be changed (expected: a volume that is in_creation or online)");
            }
            if (patch.name() != null) {
                volume.put("name", patch.name());
            }
            if (patch.size() != null) {
                long current = volume.path("size").asLong();
                if (patch.size() < current) {
                    throw ApiException.unprocessable("size: " + patch.size()
                            + " is smaller than the current size " + current
                            + " (expected: >= " + current + ", because volumes cannot shrink)");
                }
                volume.put("size", patch.size());
            }
            if (patch.maxRwIops() != null) {
                volume.put("max_rw_iops", patch.maxRwIops());
            }
        });
    }

    /** Sets a volume's status, or throws 404 when it or a parent is missing. */
    public Resource setStatus(String clusterId, String poolId, String volumeId,
            VolumeStatus status) {
        return modify(clusterId, poolId, volumeId,
                volume -> volume.put("status", status.wireName()));
    }

    /**
     * Sets how many bytes of a volume hold data, capped at its size. Throws 404 when the
     * volume or a parent is missing.
     */
    public Resource setUsedBytes(String clusterId, String poolId, String volumeId, long used) {
        return modify(clusterId, poolId, volumeId, volume -> {
            long size = volume.path("size").asLong();
            volume.put("used_bytes", Math.max(0, Math.min(used, size)));
        });
    }

    /** Deletes a volume, or throws 404 when it or a parent is missing. */
    public void delete(String clusterId, String poolId, String volumeId) {
        String volumes = CollectionNames.volumes(clusterId, poolId);
        store.write(tx -> {
            JsonNode pool = ControlPlane.requirePool(tx, clusterId, poolId);
            if (tx.get(volumes, volumeId).isEmpty()) {
                throw volumeNotFound(clusterId, poolId, volumeId);
            }
            tx.delete(volumes, volumeId);
            ControlPlane.adjustVolumeCount(tx, clusterId, poolId, pool, -1);
        });
    }

    /**
     * Reads a volume, lets {@code change} edit a copy, and writes the copy when it differs,
     * all in one transaction. {@code change} may throw {@link ApiException} to reject it.
     */
    private Resource modify(String clusterId, String poolId, String volumeId,
            Consumer<ObjectNode> change) {
        String volumes = CollectionNames.volumes(clusterId, poolId);
        AtomicReference<Resource> result = new AtomicReference<>();
        store.write(tx -> {
            ControlPlane.requirePool(tx, clusterId, poolId);
            JsonNode current = readVolume(tx, clusterId, poolId, volumeId);
            ObjectNode updated = current.deepCopy();
            change.accept(updated);
            if (!updated.equals(current)) {
                tx.put(volumes, volumeId, updated);
            }
            result.set(new Resource(volumeId, updated));
        });
        return result.get();
    }

    private static JsonNode readVolume(StoreTransaction tx, String clusterId, String poolId,
            String volumeId) {
        return tx.get(CollectionNames.volumes(clusterId, poolId), volumeId)
                .orElseThrow(() -> volumeNotFound(clusterId, poolId, volumeId))
                .body();
    }

    /** Returns the ids of the primary node and, for a highly available volume, the secondary. */
    private List<String> placeVolume(String clusterId, String volumeId, VolumeSpec spec) {
        List<String> nodes = new ArrayList<>();
        controlPlane.readSorted(CollectionNames.storageNodes(clusterId),
                Comparator.comparing(Resource::id)).forEach(node -> nodes.add(node.id()));
        if (nodes.isEmpty()) {
            throw ApiException.unprocessable("cluster " + clusterId + " has no storage nodes, so "
                    + "it cannot hold volumes (expected: a cluster with storage nodes, such as "
                    + "the seeded one)");
        }
        int primary;
        if (spec.storageNodeId() == null) {
            primary = Math.floorMod(volumeId.hashCode(), nodes.size());
        } else {
            primary = nodes.indexOf(spec.storageNodeId());
            if (primary < 0) {
                throw ApiException.unprocessable("storage_node_id: \"" + spec.storageNodeId()
                        + "\" is not a storage node of cluster " + clusterId
                        + " (expected: an id from GET " + ApiPaths.cluster(clusterId)
                        + "storage-nodes/)");
            }
        }
        if (!spec.highAvailability()) {
            return List.of(nodes.get(primary));
        }
        if (nodes.size() < 2) {
            throw ApiException.unprocessable("high_availability: true needs 2 storage nodes, "
                    + "but cluster " + clusterId + " has 1 (expected: false)");
        }
        return List.of(nodes.get(primary), nodes.get((primary + 1) % nodes.size()));
    }

    private static ObjectNode newVolumeBody(String id, String clusterId, JsonNode pool,
            VolumeSpec spec, VolumeStatus status, List<String> nodeIds) {
        ObjectNode body = JSON.objectNode()
                .put("id", id)
                .put("cluster_id", clusterId)
                .put("pool_id", pool.path("id").asText())
                .put("pool_name", pool.path("name").asText())
                .put("name", spec.name())
                .put("status", status.wireName())
                .put("size", spec.size())
                .put("storage_node_id", nodeIds.get(0));
        ArrayNode nodes = body.putArray("node_ids");
        nodeIds.forEach(nodes::add);
        return body
                .put("high_availability", spec.highAvailability())
                .put("max_rw_iops", spec.maxRwIops())
                .put("used_bytes", 0L);
    }

    private static ApiException volumeNotFound(String clusterId, String poolId, String volumeId) {
        return ApiException.notFound("volume " + volumeId + " not found in storage pool " + poolId
                + " (expected: an id from GET " + ApiPaths.storagePool(clusterId, poolId)
                + "volumes/)");
    }
}
