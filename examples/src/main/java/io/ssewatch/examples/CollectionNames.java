package io.ssewatch.examples;

/**
 * The store collections of the control plane.
 *
 * <p>Every collection below the cluster list is partitioned by its parent: each cluster has
 * its own {@code storage-pools} and {@code storage-nodes} collections, and each storage pool
 * its own {@code volumes} collection. A watch hub loads, keeps in memory and follows one
 * whole collection. With a single {@code volumes} collection, one watch on the volumes of one
 * pool would make its hub load every volume of every pool and check its scope on every
 * change anywhere. Partitioned, a watch costs memory and store reads only for the partition
 * it watches, and the list endpoints read only that partition too. The price is that a
 * query across partitions, such as every volume of a cluster, has to read each pool's
 * collection. This API has no such endpoint.
 *
 * <p>The names are built from UUIDs, so they never contain a slash or a control character
 * of their own.
 */
public final class CollectionNames {

    /** The collection of all clusters. */
    public static final String CLUSTERS = "clusters";

    private CollectionNames() {
    }

    /** Returns the collection of the storage pools of one cluster. */
    public static String storagePools(String clusterId) {
        return CLUSTERS + "/" + clusterId + "/storage-pools";
    }

    /** Returns the collection of the storage nodes of one cluster. */
    public static String storageNodes(String clusterId) {
        return CLUSTERS + "/" + clusterId + "/storage-nodes";
    }

    /** Returns the collection of the volumes of one storage pool. */
    public static String volumes(String clusterId, String poolId) {
        return storagePools(clusterId) + "/" + poolId + "/volumes";
    }
}
