package io.ssewatch.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssewatch.testing.SseTestClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Checks the CORS headers of watch responses with and without {@code --cors-origin}. */
class ExampleServerCorsTest {

    private static final String ORIGIN = "https://console.example";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ExampleServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void corsOrigin_watchAllowsThatOriginOnly() throws Exception {
        server = ExampleServer.start(ServerOptions.defaults().withPort(0)
                .withCorsOrigins(ORIGIN));
        String watch = RestClient.volumesPath(server.seed()) + "?watch=true";

        try (SseTestClient allowed = SseTestClient.get(server.port(), watch, "Origin: " + ORIGIN);
                SseTestClient other = SseTestClient.get(server.port(), watch,
                        "Origin: https://other.example")) {
            assertThat(allowed.nextEvent().event()).isEqualTo("snapshot");
            assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
            assertThat(allowed.header("Vary")).isEqualTo("Origin");
            assertThat(other.nextEvent().event()).isEqualTo("snapshot");
            assertThat(other.header("Access-Control-Allow-Origin")).isNull();
        }
    }

    @Test
    void corsOrigin_preflightAllowsLastEventId() throws Exception {
        server = ExampleServer.start(ServerOptions.defaults().withPort(0)
                .withCorsOrigins(ORIGIN));

        HttpResponse<String> response = preflight();

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
                .contains("Last-Event-ID");
    }

    @Test
    void noCorsOrigin_noCorsHeaders() throws Exception {
        server = ExampleServer.start(ServerOptions.defaults().withPort(0));
        String watch = RestClient.volumesPath(server.seed()) + "?watch=true";

        try (SseTestClient client = SseTestClient.get(server.port(), watch, "Origin: " + ORIGIN)) {
            assertThat(client.nextEvent().event()).isEqualTo("snapshot");
            assertThat(client.header("Access-Control-Allow-Origin")).isNull();
        }
        assertThat(preflight().headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private HttpResponse<String> preflight() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(server.baseUri().resolve(
                        RestClient.volumesPath(server.seed()) + "?watch=true"))
                .method("OPTIONS", BodyPublishers.noBody())
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "last-event-id")
                .timeout(TIMEOUT)
                .build();
        return client.send(request, BodyHandlers.ofString());
    }
}
