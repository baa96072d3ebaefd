package io.ssewatch.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssewatch.api.Resource;
import io.ssewatch.api.Store;
import io.ssewatch.api.StoreTransaction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionException;

/**
 * The storage control plane's operations on the {@link Store}: the only code that writes its
 * resources, used by the REST API, the seed data and the demo driver.
 *
 * <p>Stored bodies, in the collections of {@link CollectionNames}:
 * <ul>
 *   <li>cluster: {@code id}, {@code name}, {@code status}
 *   <li>storage pool: {@code id}, {@code cluster_id}, {@code name}, {@code status},
 *       {@code volume_count}
 *   <li>storage node: {@code id}, {@code cluster_id}, {@code hostname}, {@code status}
 *   <li>volume: see {@link Volumes}, which owns every volume write
 * </ul>
 *
 * <p>Every write runs in one store transaction, so a read-modify-write such as a PATCH or a
 * cascading delete reads and changes one consistent state. A method that rejects a request
 * throws {@link ApiException}, and nothing is written. Lists come back in {@link ListOrder}.
 * Thread-safe, because it keeps no state besides the store.
 */
public final class ControlPlane {

    /** Status of clusters, storage pools and storage nodes, which this example never changes. */
    static final String ONLINE = "online";

    /**
     * Maximum number of attempts of a storage pool delete while volumes are being created in
     * the pool. After the last one it throws 409.
     */
    private static final int MAX_CASCADE_ATTEMPTS = 3;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Store store;
    private final Volumes volumes;

    public ControlPlane(Store store) {
        this.store = Objects.requireNonNull(store, "store");
        this.volumes = new Volumes(this);
    }

    /** Returns the store this control plane writes to. */
    public Store store() {
        return store;
    }

    /** Returns the volume operations. */
    public Volumes volumes() {
        return volumes;
    }

    // Clusters

    public List<Resource> listClusters() {
        return readSorted(CollectionNames.CLUSTERS, ListOrder.BY_NAME);
    }

    /** Returns a cluster or throws 404. */
    public Resource getCluster(String clusterId) {
        return store.get(CollectionNames.CLUSTERS, clusterId)
                .orElseThrow(() -> clusterNotFound(clusterId));
    }

    public Resource createCluster(String name) {
        String id = newId();
        ObjectNode body = JSON.objectNode()
                .put("id", id)
                .put("name", name)
                .put("status", ONLINE);
        store.put(CollectionNames.CLUSTERS, id, body);
        return new Resource(id, body);
    }

    // Storage pools

    /** Returns the storage pools of a cluster, or throws 404 when the cluster is missing. */
    public List<Resource> listStoragePools(String clusterId) {
        getCluster(clusterId);
        return readSorted(CollectionNames.storagePools(clusterId), ListOrder.BY_NAME);
    }

    /** Returns a storage pool or throws 404 when it or its cluster is missing. */
    public Resource getStoragePool(String clusterId, String poolId) {
        getCluster(clusterId);
        return store.get(CollectionNames.storagePools(clusterId), poolId)
                .orElseThrow(() -> poolNotFound(clusterId, poolId));
    }

    /** Creates an empty storage pool, or throws 404 when the cluster is missing. */
    public Resource createStoragePool(String clusterId, String name) {
        String id = newId();
        ObjectNode body = JSON.objectNode()
                .put("id", id)
                .put("cluster_id", clusterId)
                .put("name", name)
                .put("status", ONLINE)
                .put("volume_count", 0L);
        store.write(tx -> {
            requireCluster(tx, clusterId);
            tx.put(CollectionNames.storagePools(clusterId), id, body);
        });
        return new Resource(id, body);
    }

    /**
     * Deletes a storage pool and all its volumes in one transaction, or throws 404 when it
     * or its cluster is missing.
     *
     * <p>{@link StoreTransaction} has no way to list a collection, so the volume ids are read
     * before the transaction. A volume created after that read would survive its pool. To
     * catch that case, every volume create and delete also updates the pool's
     * {@code volume_count} in its own transaction. The delete compares the count with the
     * volumes it found and starts over when they differ. After {@value #MAX_CASCADE_ATTEMPTS}
     * attempts it throws 409.
     */
    public void deleteStoragePool(String clusterId, String poolId) {
        String volumes = CollectionNames.volumes(clusterId, poolId);
        for (int attempt = 1; attempt <= MAX_CASCADE_ATTEMPTS; attempt++) {
            List<String> volumeIds = new ArrayList<>();
            readAll(volumes).forEach(volume -> volumeIds.add(volume.id()));
            if (tryDeleteStoragePool(clusterId, poolId, volumeIds)) {
                return;
            }
        }
        throw ApiException.conflict("storage pool " + poolId + " was not deleted, because "
                + "volumes were created in it during each of " + MAX_CASCADE_ATTEMPTS
                + " attempts (expected: retry the request once the pool is quiet)");
    }

    /** Deletes the pool and the listed volumes, or returns false when the list is stale. */
    private boolean tryDeleteStoragePool(String clusterId, String poolId, List<String> volumeIds) {
        String volumes = CollectionNames.volumes(clusterId, poolId);
        try {
            store.write(tx -> {
                JsonNode pool = requirePool(tx, clusterId, poolId);
                long found = 0;
                for (String volumeId : volumeIds) {
                    if (tx.get(volumes, volumeId).isPresent()) {
                        found++;
                        tx.delete(volumes, volumeId);
                    }
                }
                if (found != pool.path("volume_count").asLong()) {
                    throw new StaleVolumeList();
                }
                tx.delete(CollectionNames.storagePools(clusterId), poolId);
            });
            return true;
        } catch (StaleVolumeList e) {
            return false;
        }
    }

    // Storage nodes

    /** Returns the storage nodes of a cluster, or throws 404 when the cluster is missing. */
    public List<Resource> listStorageNodes(String clusterId) {
        getCluster(clusterId);
        return readSorted(CollectionNames.storageNodes(clusterId), ListOrder.BY_HOSTNAME);
    }

    /** Returns a storage node or throws 404 when it or its cluster is missing. */
    public Resource getStorageNode(String clusterId, String nodeId) {
        getCluster(clusterId);
        return store.get(CollectionNames.storageNodes(clusterId), nodeId)
                .orElseThrow(() -> ApiException.notFound("storage node " + nodeId
                        + " not found in cluster " + clusterId + " (expected: an id from GET "
                        + ApiPaths.cluster(clusterId) + "storage-nodes/)"));
    }

    /**
     * Registers a storage node. The REST API has no endpoint for this, because nodes join a
     * real cluster by being deployed; the seed data calls it.
     */
    public Resource addStorageNode(String clusterId, String hostname) {
        String id = newId();
        ObjectNode body = JSON.objectNode()
                .put("id", id)
                .put("cluster_id", clusterId)
                .put("hostname", hostname)
                .put("status", ONLINE);
        store.write(tx -> {
            requireCluster(tx, clusterId);
            tx.put(CollectionNames.storageNodes(clusterId), id, body);
        });
        return new Resource(id, body);
    }

    // Helpers shared with Volumes

    /** Reads the cluster inside a transaction, or throws 404. */
    static JsonNode requireCluster(StoreTransaction tx, String clusterId) {
        return tx.get(CollectionNames.CLUSTERS, clusterId)
                .orElseThrow(() -> clusterNotFound(clusterId))
                .body();
    }

    /** Reads the cluster and the storage pool inside a transaction, or throws 404. */
    static JsonNode requirePool(StoreTransaction tx, String clusterId, String poolId) {
        requireCluster(tx, clusterId);
        return tx.get(CollectionNames.storagePools(clusterId), poolId)
                .orElseThrow(() -> poolNotFound(clusterId, poolId))
                .body();
    }

    /** Writes the pool with its {@code volume_count} changed by {@code delta}. */
    static void adjustVolumeCount(StoreTransaction tx, String clusterId, String poolId,
            JsonNode pool, long delta) {
        ObjectNode updated = pool.deepCopy();
        updated.put("volume_count", pool.path("volume_count").asLong() + delta);
        tx.put(CollectionNames.storagePools(clusterId), poolId, updated);
    }

    /** Reads a collection and sorts it. */
    List<Resource> readSorted(String collection, Comparator<Resource> order) {
        List<Resource> resources = new ArrayList<>(readAll(collection));
        resources.sort(order);
        return resources;
    }

    /**
     * Reads every resource of a collection. Rethrows the store's own exception, such as
     * {@link io.ssewatch.api.StoreUnavailableException}, rather than the future's wrapper.
     */
    List<Resource> readAll(String collection) {
        try {
            return store.readSnapshot(collection).join().resources();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw e;
        }
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    static ApiException clusterNotFound(String clusterId) {
        return ApiException.notFound("cluster " + clusterId + " not found (expected: an id from "
                + "GET " + ApiPaths.CLUSTERS + ")");
    }

    static ApiException poolNotFound(String clusterId, String poolId) {
        return ApiException.notFound("storage pool " + poolId + " not found in cluster "
                + clusterId + " (expected: an id from GET " + ApiPaths.cluster(clusterId)
                + "storage-pools/)");
    }

    /** Rolls back a storage pool delete whose list of volumes is out of date. */
    private static final class StaleVolumeList extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StaleVolumeList() {
            super("the storage pool's volumes changed since they were listed", null, false, false);
        }
    }
}
