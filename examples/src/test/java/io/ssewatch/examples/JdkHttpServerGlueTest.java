package io.ssewatch.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ssewatch.api.memory.InMemoryStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Serves {@link ControlPlaneApi} with the JDK's own HTTP server, to show that another server
 * needs only about twenty lines of glue.
 */
class JdkHttpServerGlueTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final InMemoryStore store = new InMemoryStore();
    private final ControlPlane controlPlane = new ControlPlane(store);
    private final SeedData seed = SeedData.load(controlPlane);
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        ControlPlaneApi api = new ControlPlaneApi(controlPlane);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> serve(api, exchange));
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        store.close();
    }

    /** Passes one exchange to the API and writes the API's response back. */
    private static void serve(ControlPlaneApi api, HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(ControlPlaneApi.MAX_BODY_BYTES + 1);
        }
        ApiResponse response;
        if (body.length > ControlPlaneApi.MAX_BODY_BYTES) {
            response = ApiResponse.error(413, "request body is larger than "
                    + ControlPlaneApi.MAX_BODY_BYTES + " bytes");
        } else {
            URI uri = exchange.getRequestURI();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            response = api.handle(new ApiRequest(exchange.getRequestMethod(), uri.getRawPath(),
                    uri.getRawQuery(), contentType, body));
        }
        response.headers().forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(response.status(),
                response.body().length == 0 ? -1 : response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }

    @Test
    void jdkServer_servesListAndPost() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        URI volumes = base.resolve(ApiPaths.storagePool(seed.clusterId(), seed.poolId())
                + "volumes/");

        HttpResponse<String> list = client.send(HttpRequest.newBuilder(volumes).timeout(TIMEOUT)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(volumes)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"jdk\", \"size\": 4096}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode names = new ObjectMapper().readTree(list.body());
        assertThat(names.findValuesAsText("name")).containsExactly("vol-1", "vol-2");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).isPresent();
    }
}
