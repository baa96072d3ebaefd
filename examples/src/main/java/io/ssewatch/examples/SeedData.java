package io.ssewatch.examples;

import io.ssewatch.api.Resource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resources that the example server creates at start: one cluster with one storage pool,
 * two storage nodes and two online volumes, one of them highly available. Ids are new random
 * UUIDs when they are created. On a store that already contains a cluster, such as a
 * FoundationDB store after an earlier start, {@link #loadOrReuse} returns the existing ids
 * instead.
 *
 * @param clusterId the cluster {@code cluster-1}
 * @param poolId the storage pool {@code pool-1}
 * @param storageNodeIds the nodes {@code storage-node-1} and {@code storage-node-2}
 * @param volumeIds the volumes {@code vol-1} (10 GiB, a quarter used) and {@code vol-2}
 *     (100 GiB, highly available, limited to 20,000 IOPS)
 */
public record SeedData(String clusterId, String poolId, List<String> storageNodeIds,
        List<String> volumeIds) {

    static final long GIB = 1L << 30;

    private static final Logger LOG = LoggerFactory.getLogger(SeedData.class);

    public SeedData {
        storageNodeIds = List.copyOf(storageNodeIds);
        volumeIds = List.copyOf(volumeIds);
    }

    /**
     * Creates the seed resources when the store contains no cluster yet, as {@link #load}
     * does. Otherwise it creates nothing, except a storage pool {@code pool-1} when the first
     * cluster has none, and returns the ids of the first cluster (by name, then id), its
     * first storage pool, its storage nodes and the volumes of that pool.
     *
     * <p>NOTE: two servers that start at the same time on one empty store may both seed,
     * because the check and the writes are not one transaction.
     */
    public static SeedData loadOrReuse(ControlPlane controlPlane) {
        List<Resource> clusters = controlPlane.listClusters();
        if (clusters.isEmpty()) {
            return load(controlPlane);
        }
        String clusterId = clusters.get(0).id();
        List<Resource> pools = controlPlane.listStoragePools(clusterId);
        String poolId;
        if (pools.isEmpty()) {
            poolId = controlPlane.createStoragePool(clusterId, "pool-1").id();
            LOG.info("Created storage pool pool-1 ({}) in cluster {}, which had none", poolId,
                    clusterId);
        } else {
            poolId = pools.get(0).id();
        }
        List<String> nodeIds = ids(controlPlane.listStorageNodes(clusterId));
        List<String> volumeIds = ids(controlPlane.volumes().list(clusterId, poolId));
        LOG.info("Reusing cluster {} and storage pool {} from the store ({} storage nodes, {} "
                + "volumes); nothing seeded", clusterId, poolId, nodeIds.size(), volumeIds.size());
        return new SeedData(clusterId, poolId, nodeIds, volumeIds);
    }

    private static List<String> ids(List<Resource> resources) {
        return resources.stream().map(Resource::id).toList();
    }

    /** Creates the seed resources through {@code controlPlane} and returns their ids. */
    public static SeedData load(ControlPlane controlPlane) {
        String clusterId = controlPlane.createCluster("cluster-1").id();
        String poolId = controlPlane.createStoragePool(clusterId, "pool-1").id();
        List<String> nodeIds = List.of(
                controlPlane.addStorageNode(clusterId, "storage-node-1").id(),
                controlPlane.addStorageNode(clusterId, "storage-node-2").id());

        Volumes volumes = controlPlane.volumes();
        VolumeSpec small = new VolumeSpec("vol-1", 10 * GIB, nodeIds.get(0), false, 0);
        VolumeSpec large = new VolumeSpec("vol-2", 100 * GIB, nodeIds.get(1), true, 20_000);
        String smallId = volumes.create(clusterId, poolId, small, VolumeStatus.ONLINE).id();
        String largeId = volumes.create(clusterId, poolId, large, VolumeStatus.ONLINE).id();
        volumes.setUsedBytes(clusterId, poolId, smallId, small.size() / 4);
        return new SeedData(clusterId, poolId, nodeIds, List.of(smallId, largeId));
    }
}
