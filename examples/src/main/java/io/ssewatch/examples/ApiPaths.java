package io.ssewatch.examples;

/**
 * The path templates of the control-plane API, shared by the REST routes and the watch
 * routes, and the URLs that responses link to. A {@code {name}} segment matches one path
 * segment, and the trailing slash is optional in requests.
 */
public final class ApiPaths {

    public static final String CLUSTERS = "/api/v2/clusters/";
    public static final String CLUSTER = CLUSTERS + "{cluster}/";
    public static final String STORAGE_POOLS = CLUSTER + "storage-pools/";
    public static final String STORAGE_POOL = STORAGE_POOLS + "{pool}/";
    public static final String VOLUMES = STORAGE_POOL + "volumes/";
    public static final String VOLUME = VOLUMES + "{volume}/";
    public static final String STORAGE_NODES = CLUSTER + "storage-nodes/";
    public static final String STORAGE_NODE = STORAGE_NODES + "{node}/";

    private ApiPaths() {
    }

    /** Returns the path of one cluster. */
    public static String cluster(String clusterId) {
        return CLUSTERS + clusterId + "/";
    }

    /** Returns the path of one storage pool. */
    public static String storagePool(String clusterId, String poolId) {
        return cluster(clusterId) + "storage-pools/" + poolId + "/";
    }

    /** Returns the path of one volume. */
    public static String volume(String clusterId, String poolId, String volumeId) {
        return storagePool(clusterId, poolId) + "volumes/" + volumeId + "/";
    }

    /** Returns the path of one storage node. */
    public static String storageNode(String clusterId, String nodeId) {
        return cluster(clusterId) + "storage-nodes/" + nodeId + "/";
    }
}
