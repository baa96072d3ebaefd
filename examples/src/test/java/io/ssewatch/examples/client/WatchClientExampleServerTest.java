package io.ssewatch.examples.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ssewatch.client.WatchClient;
import io.ssewatch.client.WatchListener;
import io.ssewatch.client.WatchStoppedException;
import io.ssewatch.examples.ExampleServer;
import io.ssewatch.examples.ServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Java watch client against the example server over real HTTP. */
class WatchClientExampleServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ExampleServer server;
    private final Recorder recorder = new Recorder();

    @BeforeEach
    void start() throws Exception {
        server = ExampleServer.start(ServerOptions.defaults().withPort(0));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String volumesPath() {
        return "api/v2/clusters/" + server.seed().clusterId() + "/storage-pools/"
                + server.seed().poolId() + "/volumes/";
    }

    private WatchClient<JsonNode> watch(URI uri) {
        return WatchClient.builder(uri).backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .listener(recorder).start();
    }

    private static JsonNode send(String method, URI uri, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json");
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = HTTP.send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, uri, response.body())
                .isBetween(200, 299);
        return response.body().isEmpty() ? null
                : new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    }

    @Test
    void firstSyncAndEveryChangeKind() throws Exception {
        URI volumes = server.baseUri().resolve(volumesPath());
        try (WatchClient<JsonNode> client = watch(volumes)) {
            assertThat(client.awaitSynced(WAIT)).isTrue();
            assertThat(client.resources()).hasSize(2);
            assertThat(recorder.next()).startsWith("snapshot ");

            JsonNode created = send("POST", volumes, "{\"name\":\"vol-9\",\"size\":1073741824}");
            String id = created.get("id").asText();
            assertThat(recorder.next()).isEqualTo("created " + id);
            send("PATCH", volumes.resolve(id + "/"), "{\"size\":2147483648}");
            assertThat(recorder.next()).isEqualTo("updated " + id);
            assertThat(client.get(id).orElseThrow().get("size").asLong()).isEqualTo(2147483648L);
            send("DELETE", volumes.resolve(id + "/"), null);
            assertThat(recorder.next()).isEqualTo("deleted " + id);
            assertThat(client.get(id)).isEmpty();
        }
    }

    /** Catches a client that misses or repeats changes made while its connection was down. */
    @Test
    void droppedConnectionAppliesOnlyMissedEvents() throws Exception {
        URI volumes = server.baseUri().resolve(volumesPath());
        try (CuttingProxy proxy = new CuttingProxy(server.port());
                WatchClient<JsonNode> client = watch(
                        URI.create("http://127.0.0.1:" + proxy.port() + "/" + volumesPath()))) {
            assertThat(client.awaitSynced(WAIT)).isTrue();
            assertThat(recorder.next()).startsWith("snapshot ");
            JsonNode seen = send("POST", volumes, "{\"name\":\"seen\",\"size\":1073741824}");
            assertThat(recorder.next()).isEqualTo("created " + seen.get("id").asText());

            proxy.cutAll();
            JsonNode missed = send("POST", volumes, "{\"name\":\"missed\",\"size\":1073741824}");
            send("DELETE", volumes.resolve(seen.get("id").asText() + "/"), null);

            assertThat(recorder.next()).isEqualTo("created " + missed.get("id").asText());
            assertThat(recorder.next()).isEqualTo("deleted " + seen.get("id").asText());
            recorder.assertNothingMore();
            assertThat(client.resources()).containsKey(missed.get("id").asText())
                    .doesNotContainKey(seen.get("id").asText());
        }
    }

    /**
     * Catches a client that keeps stale resources after a restart of an in-memory server:
     * the fresh snapshot must be reported as the deletions and creations it implies.
     */
    @Test
    void serverRestartReportsDeletionsFromFreshSnapshot() throws Exception {
        URI clusters = server.baseUri().resolve("api/v2/clusters/");
        String before = server.seed().clusterId();
        int port = server.port();
        try (WatchClient<JsonNode> client = watch(clusters)) {
            assertThat(client.awaitSynced(WAIT)).isTrue();
            assertThat(recorder.next()).startsWith("snapshot ");

            server.close();
            server = ExampleServer.start(ServerOptions.defaults().withPort(port));
            String after = server.seed().clusterId();

            Set<String> changes = new HashSet<>(List.of(recorder.next(), recorder.next()));
            assertThat(changes).containsExactlyInAnyOrder("deleted " + before, "created " + after);
            await("cache replaced").atMost(WAIT)
                    .until(() -> client.resources().keySet().equals(Set.of(after)));
        }
    }

    @Test
    void notFoundStopsClientWithReason() throws Exception {
        URI missing = server.baseUri().resolve("api/v2/clusters/" + server.seed().clusterId()
                + "/storage-pools/00000000-0000-0000-0000-000000000000/volumes/");
        try (WatchClient<JsonNode> client = watch(missing)) {
            assertThatThrownBy(() -> client.awaitSynced(WAIT))
                    .isInstanceOf(WatchStoppedException.class);
            WatchStoppedException cause = client.stopCause().orElseThrow();
            assertThat(cause.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void closeLeavesNoClientThreads() throws Exception {
        URI volumes = server.baseUri().resolve(volumesPath());
        try (WatchClient<JsonNode> warmUp = watch(volumes)) {
            // Creates the JDK's shared HTTP client, whose selector thread lives on by design.
            warmUp.awaitSynced(WAIT);
        }
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());

        WatchClient<JsonNode> client = watch(volumes);
        assertThat(client.awaitSynced(WAIT)).isTrue();
        client.close();

        await("client threads ended").atMost(WAIT).untilAsserted(() ->
                assertThat(Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> !before.contains(t) && t.isAlive())
                        .map(Thread::getName)
                        .filter(name -> !name.startsWith("example-server"))
                        .filter(name -> !name.startsWith("sse-watch-")
                                || name.startsWith("sse-watch-client-"))
                        .filter(name -> !name.startsWith("awaitility"))
                        .collect(Collectors.toList())).as("threads left after close()").isEmpty());
    }

    /** Records listener calls as short strings, in order. */
    private static final class Recorder implements WatchListener<JsonNode> {
        private final BlockingQueue<String> calls = new LinkedBlockingQueue<>();

        @Override
        public void onSnapshot(Map<String, JsonNode> resources) {
            calls.add("snapshot " + resources.size());
        }

        @Override
        public void onCreated(String id, JsonNode resource) {
            calls.add("created " + id);
        }

        @Override
        public void onUpdated(String id, JsonNode previous, JsonNode current) {
            calls.add("updated " + id);
        }

        @Override
        public void onDeleted(String id, JsonNode lastState) {
            calls.add("deleted " + id);
        }

        String next() throws InterruptedException {
            String call = calls.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(call).as("a listener call within %s", WAIT).isNotNull();
            return call;
        }

        void assertNothingMore() throws InterruptedException {
            assertThat(calls.poll(300, TimeUnit.MILLISECONDS)).as("no further call").isNull();
        }
    }
}
