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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Watches the example server's endpoints over HTTP on an ephemeral loopback port. */
class ExampleServerWatchTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static ExampleServer server;
    private static HttpClient client;

    @BeforeAll
    static void startServer() throws Exception {
        server = ExampleServer.start(ServerOptions.defaults().withPort(0));
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
    }

    @AfterAll
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
    void watchFalse_plainList() throws Exception {
        HttpResponse<String> response = client.send(
                request(ApiPaths.CLUSTERS + "?watch=false").GET().build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(MAPPER.readTree(response.body())).isEqualTo(getJson(ApiPaths.CLUSTERS));
    }

    @Test
    void demoServer_streamsUntilClosed() throws Exception {
        ServerOptions options = new ServerOptions("127.0.0.1", 0, "jetty", "memory", true,
                Duration.ofMillis(200), false);
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

    private static HttpResponse<String> send(String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = request(path);
        if (json == null) {
            builder.method(method, BodyPublishers.noBody());
        } else {
            builder.method(method, BodyPublishers.ofString(json))
                    .header("Content-Type", "application/json");
        }
        HttpResponse<String> response = client.send(builder.build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body())
                .isBetween(200, 299);
        return response;
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server.baseUri().resolve(path)).timeout(TIMEOUT);
    }
}
