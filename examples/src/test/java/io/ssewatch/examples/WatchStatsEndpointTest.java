package io.ssewatch.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssewatch.testing.SseTestClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class WatchStatsEndpointTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> send(ExampleServer server, String method)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                server.baseUri().resolve(ControlPlaneApi.WATCH_STATS.substring(1)))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void statsCountOpenWatches() throws Exception {
        try (ExampleServer server = ExampleServer.start(ServerOptions.defaults().withPort(0))) {
            String volumes = ApiPaths.storagePool(server.seed().clusterId(),
                    server.seed().poolId()) + "volumes/?watch=true";
            try (SseTestClient watch = SseTestClient.get(server.port(), volumes)) {
                watch.nextFrame();

                JsonNode stats = MAPPER.readTree(send(server, "GET").body());
                assertThat(stats.get("open_watches").asLong()).isEqualTo(1);
                assertThat(stats.get("hubs").asLong()).isGreaterThanOrEqualTo(1);
                assertThat(stats.get("events_sent").asLong()).isGreaterThanOrEqualTo(1);
            }
            HttpResponse<String> post = send(server, "POST");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).contains("GET");
        }
    }
}
