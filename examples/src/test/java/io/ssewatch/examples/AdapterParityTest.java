package io.ssewatch.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssewatch.api.memory.InMemoryStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the example server on Jetty and on Undertow over one in-memory store, and checks that a
 * watch on each sends the same bytes for the same changes. Both watch services follow the same
 * store, so resource ids and revisions are equal too, and the frames are compared unchanged.
 */
class AdapterParityTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> STREAM_HEADERS =
            List.of("Content-Type", "Cache-Control", "X-Accel-Buffering");

    private final InMemoryStore store = new InMemoryStore();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
    private ExampleServer jetty;
    private ExampleServer undertow;

    @BeforeEach
    void startServers() throws Exception {
        ServerOptions options = ServerOptions.defaults().withPort(0);
        jetty = ExampleServer.start(options.withAdapter("jetty"), store);
        undertow = ExampleServer.start(options.withAdapter("undertow"), store);
    }

    @AfterEach
    void stopServers() {
        if (undertow != null) {
            undertow.close();
        }
        if (jetty != null) {
            jetty.close();
        }
        store.close();
    }

    @Test
    void secondServer_reusesSeed() {
        assertThat(undertow.seed()).isEqualTo(jetty.seed());
    }

    @Test
    void volumeListWatch_sameBytesOnBothAdapters() throws Exception {
        String volumes = ApiPaths.storagePool(jetty.seed().clusterId(), jetty.seed().poolId())
                + "volumes/";
        try (RawSseStream onJetty = watch(jetty, volumes);
                RawSseStream onUndertow = watch(undertow, volumes)) {
            for (String header : STREAM_HEADERS) {
                assertThat(onUndertow.response().headers().firstValue(header))
                        .as("header %s", header)
                        .isEqualTo(onJetty.response().headers().firstValue(header))
                        .isPresent();
            }
            List<String> jettySnapshot = onJetty.nextEvents(1, TIMEOUT);
            List<String> undertowSnapshot = onUndertow.nextEvents(1, TIMEOUT);
            assertThat(jettySnapshot.get(0)).startsWith("event: snapshot\n");
            assertThat(undertowSnapshot).isEqualTo(jettySnapshot);

            String location = createResizeDelete(volumes);

            List<String> jettyChanges = onJetty.nextEvents(3, TIMEOUT);
            List<String> undertowChanges = onUndertow.nextEvents(3, TIMEOUT);
            assertThat(jettyChanges).hasSize(3);
            assertThat(jettyChanges.get(0)).startsWith("event: created\n");
            assertThat(jettyChanges.get(1)).startsWith("event: updated\n");
            assertThat(jettyChanges.get(2)).startsWith("event: deleted\n")
                    .contains(location.substring(volumes.length(), location.length() - 1));
            assertThat(undertowChanges).isEqualTo(jettyChanges);
        }
    }

    @Test
    void close_sameUnavailableEventOnBothAdapters() throws Exception {
        String clusters = ApiPaths.CLUSTERS;
        try (RawSseStream onJetty = watch(jetty, clusters);
                RawSseStream onUndertow = watch(undertow, clusters)) {
            onJetty.nextEvents(1, TIMEOUT);
            onUndertow.nextEvents(1, TIMEOUT);

            jetty.close();
            undertow.close();

            String jettyLast = onJetty.nextEvents(1, TIMEOUT).get(0);
            assertThat(jettyLast).startsWith("event: unavailable\n");
            assertThat(onUndertow.nextEvents(1, TIMEOUT)).containsExactly(jettyLast);
        }
    }

    /**
     * Creates a volume, doubles its size and deletes it through the Jetty server, and returns
     * its path.
     */
    private String createResizeDelete(String volumes) throws IOException, InterruptedException {
        HttpResponse<String> created = send("POST", volumes,
                "{\"name\": \"parity\", \"size\": 1073741824}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> patched = send("PATCH", location, "{\"size\": 2147483648}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        HttpResponse<String> deleted = send("DELETE", location, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        return location;
    }

    private RawSseStream watch(ExampleServer server, String path)
            throws IOException, InterruptedException {
        URI uri = server.baseUri().resolve(path + "?watch=true");
        RawSseStream stream = RawSseStream.open(client, uri, TIMEOUT);
        assertThat(stream.response().statusCode()).as("GET %s", uri).isEqualTo(200);
        return stream;
    }

    private HttpResponse<String> send(String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(jetty.baseUri().resolve(path))
                .timeout(TIMEOUT);
        if (json == null) {
            builder.method(method, BodyPublishers.noBody());
        } else {
            builder.method(method, BodyPublishers.ofString(json))
                    .header("Content-Type", "application/json");
        }
        return client.send(builder.build(), BodyHandlers.ofString());
    }
}
