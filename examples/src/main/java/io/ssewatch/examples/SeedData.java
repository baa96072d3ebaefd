package io.ssewatch.examples;

import java.util.List;

/**
 * The resources that the example server creates at start: one cluster with one storage pool,
 * two storage nodes and two online volumes, one of them highly available. Ids are new random
 * UUIDs on every start.
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

    public SeedData {
        storageNodeIds = List.copyOf(storageNodeIds);
        volumeIds = List.copyOf(volumeIds);
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
