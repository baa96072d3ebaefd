package io.ssewatch.examples;

import io.ssewatch.api.Renderer;
import io.ssewatch.api.Resource;
import io.ssewatch.api.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API of the storage control plane, independent of any HTTP server: a server glue
 * turns each request into an {@link ApiRequest}, calls {@link #handle} and writes the
 * {@link ApiResponse} back unchanged. A GET with {@code ?watch=true} on a watchable path
 * never reaches it, because the watch handler in front of the glue serves it. The API
 * ignores every query parameter.
 *
 * <p>Bodies are JSON. Lists are JSON arrays in {@link ListOrder}. POST responds with 201, the
 * created resource and a {@code Location} header; DELETE responds with 204. Errors respond with
 * {@code {"detail": "..."}} and 400 (malformed JSON), 404 (unknown path or id, or a missing
 * parent), 405 (with {@code Allow}), 409 (a conflicting state), 415 (a body that is not
 * JSON), 422 (invalid fields), 503 (store unavailable, with {@code Retry-After}) or 500.
 *
 * <p>Thread-safe. {@link #handle} blocks the calling thread while the store reads or writes.
 */
public final class ControlPlaneApi {

    /** The media type of request and response bodies. */
    public static final String JSON = "application/json";

    /**
     * The maximum request body in bytes that a server glue should pass on; larger bodies get
     * 413. The largest valid body, a volume POST, is a few hundred bytes.
     */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneApi.class);
    private static final String MERGE_PATCH = "application/merge-patch+json";

    /** The path of the watch statistics: open watches, hubs, events sent and so on. */
    public static final String WATCH_STATS = "/api/v2/_watch/stats";

    private final ControlPlane controlPlane;
    private final Volumes volumes;
    private final Supplier<Map<String, Long>> watchStats;

    /** Creates the API without watch statistics; {@link #WATCH_STATS} gets 404. */
    public ControlPlaneApi(ControlPlane controlPlane) {
        this(controlPlane, null);
    }

    /**
     * Creates the API with watch statistics at {@link #WATCH_STATS}, such as
     * {@code WatchStats::toMap}.
     */
    public ControlPlaneApi(ControlPlane controlPlane, Supplier<Map<String, Long>> watchStats) {
        this.controlPlane = Objects.requireNonNull(controlPlane, "controlPlane");
        this.volumes = controlPlane.volumes();
        this.watchStats = watchStats;
    }

    /**
     * Handles one request and returns its response. Every {@link RuntimeException} becomes an
     * error response: 503 for {@link StoreUnavailableException}, 500 for one not expected.
     */
    public ApiResponse handle(ApiRequest request) {
        try {
            return route(request);
        } catch (ApiException e) {
            return error(e.status(), e.getMessage(), e.headers());
        } catch (StoreUnavailableException e) {
            LOG.warn("{} {} failed because the store is unavailable", request.method(),
                    request.path(), e);
            return error(503, "the store is unavailable (expected: retry the request later)",
                    Map.of("Retry-After", "1"));
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", request.method(), request.path(), e);
            return error(500, "internal error while handling " + request.method() + " "
                    + request.path() + " (the server log has the cause)", Map.of());
        }
    }

    private ApiResponse route(ApiRequest request) {
        if (watchStats != null && WATCH_STATS.equals(request.path())) {
            if (!request.method().equals("GET")) {
                throw new ApiException(405, "method " + request.method() + " is not allowed on "
                        + WATCH_STATS + " (allowed: GET)", Map.of("Allow", "GET"));
            }
            return ApiResponse.json(200, watchStats.get(), Map.of());
        }
        Endpoint.Match match = Endpoint.match(request.path());
        if (match == null) {
            throw ApiException.notFound("no endpoint at " + request.path()
                    + " (expected: a path under " + ApiPaths.CLUSTERS + ")");
        }
        Endpoint endpoint = match.endpoint();
        String method = request.method();
        if (!endpoint.methods().contains(method)) {
            String allow = String.join(", ", endpoint.methods());
            throw new ApiException(405, "method " + method + " is not allowed on "
                    + endpoint.template() + " (allowed: " + allow + ")", Map.of("Allow", allow));
        }
        Ids ids = Ids.validate(match.params());
        return switch (endpoint) {
            case CLUSTERS -> method.equals("GET")
                    ? list(controlPlane.listClusters(), Renderers.CLUSTER)
                    : createCluster(request);
            case CLUSTER -> ok(Renderers.CLUSTER, controlPlane.getCluster(ids.cluster()));
            case STORAGE_POOLS -> method.equals("GET")
                    ? list(controlPlane.listStoragePools(ids.cluster()), Renderers.STORAGE_POOL)
                    : createStoragePool(request, ids);
            case STORAGE_POOL -> method.equals("GET")
                    ? ok(Renderers.STORAGE_POOL,
                            controlPlane.getStoragePool(ids.cluster(), ids.pool()))
                    : deleteStoragePool(ids);
            case VOLUMES -> method.equals("GET")
                    ? list(volumes.list(ids.cluster(), ids.pool()), Renderers.VOLUME)
                    : createVolume(request, ids);
            case VOLUME -> volume(request, ids);
            case STORAGE_NODES ->
                    list(controlPlane.listStorageNodes(ids.cluster()), Renderers.STORAGE_NODE);
            case STORAGE_NODE -> ok(Renderers.STORAGE_NODE,
                    controlPlane.getStorageNode(ids.cluster(), ids.node()));
        };
    }

    private ApiResponse createCluster(ApiRequest request) {
        requireJson(request, false);
        Resource cluster = controlPlane.createCluster(RequestBodies.parseName(request.body()));
        return created(Renderers.CLUSTER, cluster, ApiPaths.cluster(cluster.id()));
    }

    private ApiResponse createStoragePool(ApiRequest request, Ids ids) {
        requireJson(request, false);
        String name = RequestBodies.parseName(request.body());
        Resource pool = controlPlane.createStoragePool(ids.cluster(), name);
        return created(Renderers.STORAGE_POOL, pool,
                ApiPaths.storagePool(ids.cluster(), pool.id()));
    }

    private ApiResponse deleteStoragePool(Ids ids) {
        controlPlane.deleteStoragePool(ids.cluster(), ids.pool());
        return noContent();
    }

    private ApiResponse createVolume(ApiRequest request, Ids ids) {
        requireJson(request, false);
        VolumeSpec spec = RequestBodies.parseVolumeSpec(request.body());
        Resource volume = volumes.create(ids.cluster(), ids.pool(), spec, VolumeStatus.ONLINE);
        return created(Renderers.VOLUME, volume,
                ApiPaths.volume(ids.cluster(), ids.pool(), volume.id()));
    }

    private ApiResponse volume(ApiRequest request, Ids ids) {
        switch (request.method()) {
            case "GET":
                return ok(Renderers.VOLUME, volumes.get(ids.cluster(), ids.pool(), ids.volume()));
            case "PATCH":
                requireJson(request, true);
                VolumePatch patch = RequestBodies.parseVolumePatch(request.body());
                return ok(Renderers.VOLUME,
                        volumes.patch(ids.cluster(), ids.pool(), ids.volume(), patch));
            default:
                volumes.delete(ids.cluster(), ids.pool(), ids.volume());
                return noContent();
        }
    }

    /**
     * Rejects a body that is not declared as UTF-8 JSON with 415. A PATCH may also use
     * {@code application/merge-patch+json}, because its fields merge as RFC 7396 describes,
     * except that {@code null} is rejected instead of removing a field.
     */
    private static void requireJson(ApiRequest request, boolean patch) {
        String expected = patch ? JSON + " or " + MERGE_PATCH : JSON;
        String fix = " (expected: " + expected + "; with curl, add -H 'Content-Type: "
                + JSON + "')";
        String header = request.contentType();
        if (header == null || header.isBlank()) {
            throw new ApiException(415, "Content-Type is missing" + fix);
        }
        String[] parts = header.split(";");
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        boolean accepted = mediaType.equals(JSON) || (patch && mediaType.equals(MERGE_PATCH));
        if (!accepted) {
            throw new ApiException(415, "Content-Type: \"" + header + "\" is not supported" + fix);
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim().toLowerCase(Locale.ROOT).replace("\"", "");
            if (parameter.startsWith("charset=") && !parameter.equals("charset=utf-8")) {
                throw new ApiException(415, "Content-Type: \"" + header + "\" has a charset "
                        + "other than UTF-8 (expected: UTF-8, or no charset parameter)");
            }
        }
    }

    private static ApiResponse list(List<Resource> resources, Renderer renderer) {
        List<Object> rendered = new ArrayList<>();
        resources.forEach(resource -> rendered.add(renderer.render(resource)));
        return ApiResponse.json(200, rendered, Map.of());
    }

    private static ApiResponse ok(Renderer renderer, Resource resource) {
        return ApiResponse.json(200, renderer.render(resource), Map.of());
    }

    private static ApiResponse created(Renderer renderer, Resource resource, String location) {
        return ApiResponse.json(201, renderer.render(resource), Map.of("Location", location));
    }

    private static ApiResponse noContent() {
        return new ApiResponse(204, Map.of(), new byte[0]);
    }

    private static ApiResponse error(int status, String detail, Map<String, String> headers) {
        return ApiResponse.json(status, Map.of("detail", detail), headers);
    }

    /**
     * The ids in a request path, each checked to be a UUID. A malformed id cannot name a
     * resource, so it gets 404 like an unknown one. Absent ids are {@code null}.
     */
    private record Ids(String cluster, String pool, String volume, String node) {

        static Ids validate(Map<String, String> params) {
            String cluster = params.get("cluster");
            String pool = params.get("pool");
            check("cluster", cluster, ApiPaths.CLUSTERS);
            if (cluster != null) {
                check("storage pool", pool, ApiPaths.cluster(cluster) + "storage-pools/");
                check("storage node", params.get("node"),
                        ApiPaths.cluster(cluster) + "storage-nodes/");
            }
            if (pool != null) {
                check("volume", params.get("volume"),
                        ApiPaths.storagePool(cluster, pool) + "volumes/");
            }
            return new Ids(cluster, pool, params.get("volume"), params.get("node"));
        }

        private static void check(String kind, String id, String listPath) {
            if (id != null && !RequestBodies.isUuid(id)) {
                throw ApiException.notFound(kind + " \"" + id + "\" not found, because ids are "
                        + "lower-case UUIDs (expected: an id from GET " + listPath + ")");
            }
        }
    }
}
