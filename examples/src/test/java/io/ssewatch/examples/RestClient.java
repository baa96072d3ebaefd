package io.ssewatch.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/**
 * Writes to the example server's REST API over HTTP/1.1, for tests that watch the results
 * with other clients. Every request must return a 2xx status within {@link #TIMEOUT}.
 */
final class RestClient {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
    private final URI base;

    RestClient(URI base) {
        this.base = base;
    }

    /** Returns the path of the seeded pool's volume list, with a trailing slash. */
    static String volumesPath(SeedData seed) {
        return ApiPaths.storagePool(seed.clusterId(), seed.poolId()) + "volumes/";
    }

    /** Creates a volume of {@code size} bytes in the list at {@code volumesPath}. */
    JsonNode createVolume(String volumesPath, String name, long size) throws Exception {
        return MAPPER.readTree(send("POST", volumesPath,
                "{\"name\": \"" + name + "\", \"size\": " + size + "}"));
    }

    /** Sends a PATCH with a JSON body and returns the changed resource. */
    JsonNode patch(String path, String json) throws Exception {
        return MAPPER.readTree(send("PATCH", path, json));
    }

    /** Sends a DELETE. */
    void delete(String path) throws Exception {
        send("DELETE", path, null);
    }

    /** Sends a request and returns the response body as it came. */
    String send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
        if (json == null) {
            builder.method(method, BodyPublishers.noBody());
        } else {
            builder.method(method, BodyPublishers.ofString(json))
                    .header("Content-Type", "application/json");
        }
        HttpResponse<String> response = client.send(builder.build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body())
                .isBetween(200, 299);
        return response.body();
    }
}
