package io.ssewatch.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssewatch.api.Store;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A control plane on a store, seeded, with helpers that call its API in memory. */
final class ApiFixture implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    final Store store;
    final ControlPlane controlPlane;
    final SeedData seed;
    final ControlPlaneApi api;

    ApiFixture(Store store) {
        this.store = store;
        this.controlPlane = new ControlPlane(store);
        this.seed = SeedData.load(controlPlane);
        this.api = new ControlPlaneApi(controlPlane);
    }

    ApiResponse get(String path) {
        return api.handle(ApiRequest.of("GET", path));
    }

    ApiResponse delete(String path) {
        return api.handle(ApiRequest.of("DELETE", path));
    }

    /** Sends a POST with a JSON body in which single quotes stand for double quotes. */
    ApiResponse post(String path, String json) {
        return api.handle(ApiRequest.json("POST", path, quotes(json)));
    }

    /** Sends a PATCH with a JSON body in which single quotes stand for double quotes. */
    ApiResponse patch(String path, String json) {
        return api.handle(ApiRequest.json("PATCH", path, quotes(json)));
    }

    String clusterPath() {
        return ApiPaths.cluster(seed.clusterId());
    }

    String poolPath() {
        return ApiPaths.storagePool(seed.clusterId(), seed.poolId());
    }

    String volumesPath() {
        return poolPath() + "volumes/";
    }

    String volumePath(String volumeId) {
        return ApiPaths.volume(seed.clusterId(), seed.poolId(), volumeId);
    }

    /** Returns the seeded pool's stored {@code volume_count}. */
    long volumeCount() {
        return json(get(poolPath())).path("volume_count").asLong();
    }

    static JsonNode json(ApiResponse response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("response body is not JSON: " + response.bodyText(), e);
        }
    }

    static String detail(ApiResponse response) {
        return json(response).path("detail").asText();
    }

    static String quotes(String json) {
        return json.replace('\'', '"');
    }

    @Override
    public void close() {
        store.close();
    }
}
