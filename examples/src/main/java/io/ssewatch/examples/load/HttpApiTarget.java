package io.ssewatch.examples.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssewatch.examples.ApiPaths;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A running example server, driven through its HTTP API.
 *
 * <p>At start it takes the first cluster and storage pool, creates one volume there and
 * watches the pool's volume list. Each change is a PATCH of that volume's name, which carries
 * the time the PATCH was sent, so latencies include the PATCH itself. Revisions are
 * store-wide, so a change elsewhere on the server moves them too: gaps are not checked, only
 * order and the count of changes each stream receives. The volume is deleted at close.
 */
final class HttpApiTarget implements LoadTarget {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();
    private String poolPath;
    private String volumePath;

    HttpApiTarget(URI base) {
        this.base = base;
    }

    @Override
    public void start(LoadOptions options) throws Exception {
        String clusterId = first(ApiPaths.CLUSTERS, "clusters");
        String poolsPath = ApiPaths.cluster(clusterId) + "storage-pools/";
        String poolId = first(poolsPath, "storage pools");
        poolPath = ApiPaths.storagePool(clusterId, poolId);
        String body = "{\"name\":\"" + Payloads.name(0) + "\",\"size\":1073741824}";
        HttpResponse<String> created = send(HttpRequest.newBuilder(base.resolve(poolPath
                + "volumes/")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), 201);
        volumePath = poolPath + "volumes/" + JSON.readTree(created.body()).path("id").asText()
                + "/";
    }

    private String first(String path, String what) throws Exception {
        JsonNode list = JSON.readTree(send(HttpRequest.newBuilder(base.resolve(path)).build(),
                200).body());
        if (!list.isArray() || list.isEmpty()) {
            throw new IllegalStateException("GET " + path + " returned no " + what
                    + " (expected: the example server's seed data)");
        }
        return list.get(0).path("id").asText();
    }

    private HttpResponse<String> send(HttpRequest request, int expected) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IOException(request.method() + " " + request.uri() + " returned "
                    + response.statusCode() + " " + response.body() + " (expected: "
                    + expected + ")");
        }
        return response;
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress(base.getHost(), base.getPort());
    }

    @Override
    public String watchPath() {
        return poolPath + "volumes/?watch=true";
    }

    @Override
    public boolean contiguousIds() {
        return false;
    }

    @Override
    public long nextChangeId() {
        return 0;
    }

    @Override
    public long change(int index, long commitMicros) throws Exception {
        String body = "{\"name\":\"" + Payloads.name(commitMicros) + "\"}";
        send(HttpRequest.newBuilder(base.resolve(volumePath))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), 200);
        return -1;
    }

    @Override
    public boolean inProcess() {
        return false;
    }

    @Override
    public void close() {
        if (volumePath == null) {
            return;
        }
        try {
            send(HttpRequest.newBuilder(base.resolve(volumePath)).DELETE().build(), 204);
        } catch (Exception e) {
            System.err.println("load-tool: deleting the load volume " + volumePath
                    + " failed: " + e.getMessage());
        }
    }
}
