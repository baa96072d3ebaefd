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
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Watches the example server's endpoints over HTTP on an ephemeral loopback port, once on each
 * adapter.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"jetty", "undertow"})
class ExampleServerWatchTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Parameter
    String adapter;

    private static ExampleServer server;
    private static HttpClient client;

    @BeforeParameterizedClassInvocation
    static void startServer(String adapter) throws Exception {
        server = ExampleServer.start(ServerOptions.defaults().withPort(0).withAdapter(adapter));
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void volumeListWatch_snapshotThenChanges() throws Exception {
        String volumes = volumesPath();
        try (SseStream stream = watch(volumes)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");

            SseStream.Event snapshot = stream.next(TIMEOUT);
            assertThat(snapshot.name()).isEqualTo("snapshot");
            assertThat(MAPPER.readTree(snapshot.data())).isEqualTo(getJson(volumes));

            JsonNode created = MAPPER.readTree(send("POST", volumes,
                    "{\"name\": \"watched\", \"size\": 1048576}").body());
            String location = volumes + created.path("id").asText() + "/";
            SseStream.Event createdEvent = stream.next(TIMEOUT);
            assertThat(createdEvent.name()).isEqualTo("created");
            assertThat(MAPPER.readTree(createdEvent.data())).isEqualTo(created);

            JsonNode patched = MAPPER.readTree(send("PATCH", location,
                    "{\"max_rw_iops\": 100}").body());
            SseStream.Event updatedEvent = stream.next(TIMEOUT);
            assertThat(updatedEvent.name()).isEqualTo("updated");
            assertThat(MAPPER.readTree(updatedEvent.data())).isEqualTo(patched);

            send("DELETE", location, null);
            SseStream.Event deletedEvent = stream.next(TIMEOUT);
            assertThat(deletedEvent.name()).isEqualTo("deleted");
            assertThat(MAPPER.readTree(deletedEvent.data()).path("id").asText())
                    .isEqualTo(created.path("id").asText());
        }
    }

    @Test
    void volumeDetailWatch_snapshotIsVolume() throws Exception {
        String volume = volumesPath() + server.seed().volumeIds().get(0) + "/";
        try (SseStream stream = watch(volume)) {
            SseStream.Event snapshot = stream.next(TIMEOUT);

            assertThat(snapshot.name()).isEqualTo("snapshot");
            assertThat(MAPPER.readTree(snapshot.data())).isEqualTo(getJson(volume));
        }
    }

    @Test
    void volumeDetailWatch_unknown_404() throws Exception {
        String volume = volumesPath() + UUID.randomUUID() + "/";

        HttpResponse<String> response = client.send(request(volume + "?watch=true").GET().build(),
                BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void volumeListWatch_missingPool_404() throws Exception {
        String volumes = ApiPaths.storagePool(server.seed().clusterId(),
                UUID.randomUUID().toString()) + "volumes/";

        HttpResponse<String> response = client.send(
                request(volumes + "?watch=true").GET().build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        HttpResponse<String> plainGet = sendUnchecked("GET", volumes, null);
        assertThat(plainGet.statusCode()).as("the REST endpoint agrees").isEqualTo(404);
    }

    @Test
    void volumeListWatch_poolDeleted_endsStream() throws Exception {
        String pools = ApiPaths.cluster(server.seed().clusterId()) + "storage-pools/";
        JsonNode pool = MAPPER.readTree(send("POST", pools, "{\"name\": \"doomed\"}").body());
        String poolPath = pools + pool.path("id").asText() + "/";
        JsonNode volume = MAPPER.readTree(send("POST", poolPath + "volumes/",
                "{\"name\": \"doomed-vol\", \"size\": 4096}").body());

        try (SseStream stream = watch(poolPath + "volumes/")) {
            assertThat(stream.next(TIMEOUT).name()).isEqualTo("snapshot");

            send("DELETE", poolPath, null);

            // The volume's deletion commits with the pool's, and the two collections' hubs
            // run on different threads, so the stream may end before or after its deleted
            // event. Either way it ends, and the reconnect gets 404.
            assertThat(stream.endsWithin(TIMEOUT)).as("stream ends with its pool").isTrue();
            HttpResponse<String> reconnect = client.send(
                    request(poolPath + "volumes/?watch=true").GET().build(),
                    BodyHandlers.ofString());
            assertThat(reconnect.statusCode()).as("reconnect after the pool's deletion")
                    .isEqualTo(404);
            assertThat(volume.path("id").asText()).isNotEmpty();
        }
    }

    @Test
    void watchFalse_plainList() throws Exception {
        HttpResponse<String> response = client.send(
                request(ApiPaths.CLUSTERS + "?watch=false").GET().build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(MAPPER.readTree(response.body())).isEqualTo(getJson(ApiPaths.CLUSTERS));
    }

    @Test
    void demoServer_streamsUntilClosed() throws Exception {
        ServerOptions options = ServerOptions.defaults().withPort(0).withAdapter(adapter)
                .withDemo(Duration.ofMillis(200));
        ExampleServer demo = ExampleServer.start(options);
        try {
            String volumes = ApiPaths.storagePool(demo.seed().clusterId(), demo.seed().poolId())
                    + "volumes/";
            URI uri = demo.baseUri().resolve(volumes + "?watch=true");
            try (SseStream stream = SseStream.open(client, uri, TIMEOUT)) {
                assertThat(stream.next(TIMEOUT).name()).isEqualTo("snapshot");

                SseStream.Event change = stream.next(TIMEOUT, "created", "updated", "deleted");
                assertThat(MAPPER.readTree(change.data()).path("name").asText())
                        .startsWith("demo-");

                demo.close();
                SseStream.Event last = stream.next(TIMEOUT, "unavailable");
                assertThat(MAPPER.readTree(last.data()).path("detail").asText()).isNotEmpty();
                assertThat(stream.endsWithin(TIMEOUT)).as("stream ends after close").isTrue();
            }
        } finally {
            demo.close();
        }
    }

    private static String volumesPath() {
        SeedData seed = server.seed();
        return ApiPaths.storagePool(seed.clusterId(), seed.poolId()) + "volumes/";
    }

    private static SseStream watch(String path) throws IOException, InterruptedException {
        return SseStream.open(client, server.baseUri().resolve(path + "?watch=true"), TIMEOUT);
    }

    private static JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request(path).GET().build(),
                BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }

    /** Sends a request and checks that it succeeded. */
    private static HttpResponse<String> send(String method, String path, String json)
            throws IOException, InterruptedException {
        HttpResponse<String> response = sendUnchecked(method, path, json);
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body())
                .isBetween(200, 299);
        return response;
    }

    private static HttpResponse<String> sendUnchecked(String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = request(path);
        if (json == null) {
            builder.method(method, BodyPublishers.noBody());
        } else {
            builder.method(method, BodyPublishers.ofString(json))
                    .header("Content-Type", "application/json");
        }
        return client.send(builder.build(), BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server.baseUri().resolve(path)).timeout(TIMEOUT);
    }
}
