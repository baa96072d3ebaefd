package io.ssewatch.examples;

import io.ssewatch.api.PathParams;
import io.ssewatch.api.ResourceRef;
import io.ssewatch.api.WatchRoute;
import java.util.List;

/**
 * The watch routes of the control-plane API: one for every GET endpoint, list and detail.
 *
 * <p>Each route watches the same partitioned collection that its endpoint reads (see
 * {@link CollectionNames} for why they are partitioned), renders with the same
 * {@link Renderers} and orders list snapshots with the same {@link ListOrder}. Because a
 * partition contains exactly what its list endpoint returns, no route needs a scope
 * predicate. Routes below a cluster depend on the cluster, and volume routes also on their
 * storage pool, so a watch on a missing parent gets 404 and an open watch ends when the
 * parent is deleted.
 *
 * <p>NOTE: the watch core does not act on {@code parents(...)} yet. Until it does, a list
 * watch under a missing parent gets an empty snapshot instead of 404, and deleting a pool
 * leaves its volume watches open after their {@code deleted} events.
 */
public final class WatchRoutes {

    private WatchRoutes() {
    }

    /** Returns the routes of all eight GET endpoints. */
    public static List<WatchRoute> all() {
        return List.of(
                WatchRoute.list(ApiPaths.CLUSTERS)
                        .collection(CollectionNames.CLUSTERS)
                        .renderer(Renderers.CLUSTER)
                        .order(ListOrder.BY_NAME)
                        .build(),
                WatchRoute.detail(ApiPaths.CLUSTER)
                        .collection(CollectionNames.CLUSTERS)
                        .renderer(Renderers.CLUSTER)
                        .build(),
                WatchRoute.list(ApiPaths.STORAGE_POOLS)
                        .collection(WatchRoutes::storagePools)
                        .renderer(Renderers.STORAGE_POOL)
                        .order(ListOrder.BY_NAME)
                        .parents(WatchRoutes::cluster)
                        .build(),
                WatchRoute.detail(ApiPaths.STORAGE_POOL)
                        .collection(WatchRoutes::storagePools)
                        .renderer(Renderers.STORAGE_POOL)
                        .parents(WatchRoutes::cluster)
                        .build(),
                WatchRoute.list(ApiPaths.VOLUMES)
                        .collection(WatchRoutes::volumes)
                        .renderer(Renderers.VOLUME)
                        .order(ListOrder.BY_NAME)
                        .parents(WatchRoutes::clusterAndPool)
                        .build(),
                WatchRoute.detail(ApiPaths.VOLUME)
                        .collection(WatchRoutes::volumes)
                        .renderer(Renderers.VOLUME)
                        .parents(WatchRoutes::clusterAndPool)
                        .build(),
                WatchRoute.list(ApiPaths.STORAGE_NODES)
                        .collection(WatchRoutes::storageNodes)
                        .renderer(Renderers.STORAGE_NODE)
                        .order(ListOrder.BY_HOSTNAME)
                        .parents(WatchRoutes::cluster)
                        .build(),
                WatchRoute.detail(ApiPaths.STORAGE_NODE)
                        .collection(WatchRoutes::storageNodes)
                        .renderer(Renderers.STORAGE_NODE)
                        .parents(WatchRoutes::cluster)
                        .build());
    }

    private static String storagePools(PathParams params) {
        return CollectionNames.storagePools(params.get("cluster"));
    }

    private static String storageNodes(PathParams params) {
        return CollectionNames.storageNodes(params.get("cluster"));
    }

    private static String volumes(PathParams params) {
        return CollectionNames.volumes(params.get("cluster"), params.get("pool"));
    }

    private static List<ResourceRef> cluster(PathParams params) {
        return List.of(new ResourceRef(CollectionNames.CLUSTERS, params.get("cluster")));
    }

    private static List<ResourceRef> clusterAndPool(PathParams params) {
        String clusterId = params.get("cluster");
        return List.of(new ResourceRef(CollectionNames.CLUSTERS, clusterId),
                new ResourceRef(CollectionNames.storagePools(clusterId), params.get("pool")));
    }
}
