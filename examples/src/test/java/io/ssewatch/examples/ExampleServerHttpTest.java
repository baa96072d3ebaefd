package io.ssewatch.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the example server on an ephemeral port of 127.0.0.1 and calls it over HTTP. */
class ExampleServerHttpTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static ExampleServer server;
    private static HttpClient client;

    @BeforeAll
    static void startServer() throws Exception {
        server = ExampleServer.start(ServerOptions.defaults().withPort(0));
        client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void start_listensOnEphemeralLoopbackPort() {
        assertThat(server.port()).isPositive();
        assertThat(server.baseUri())
                .isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/"));
    }

    @Test
    void volume_postGetPatchDelete() throws Exception {
        SeedData seed = server.seed();
        String volumes = ApiPaths.storagePool(seed.clusterId(), seed.poolId()) + "volumes/";

        HttpResponse<String> created = send("POST", volumes, json(
                "{'name': 'http-vol', 'size': 2147483648, 'high_availability': true}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type")).hasValue("application/json");
        String location = created.headers().firstValue("Location").orElseThrow();
        JsonNode volume = MAPPER.readTree(created.body());
        assertThat(location).isEqualTo(volumes + volume.path("id").asText() + "/");
        assertThat(volume.path("nodes")).hasSize(2);

        HttpResponse<String> fetched = send("GET", location, BodyPublishers.noBody());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(fetched.body())).isEqualTo(volume);

        HttpResponse<String> patched = send("PATCH", location, json("{'size': 4294967296}"));
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(MAPPER.readTree(patched.body()).path("size").asLong())
                .isEqualTo(4 * SeedData.GIB);
        assertThat(MAPPER.readTree(patched.body()).path("name").asText()).isEqualTo("http-vol");

        HttpResponse<String> listed = send("GET", volumes, BodyPublishers.noBody());
        assertThat(MAPPER.readTree(listed.body()).findValuesAsText("name"))
                .containsExactly("http-vol", "vol-1", "vol-2");

        HttpResponse<String> deleted = send("DELETE", location, BodyPublishers.noBody());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();

        HttpResponse<String> afterDelete = send("GET", location, BodyPublishers.noBody());
        assertThat(afterDelete.statusCode()).isEqualTo(404);
        assertThat(MAPPER.readTree(afterDelete.body()).path("detail").asText())
                .contains("not found");
    }

    @Test
    void disallowedMethod_405WithAllowHeader() throws Exception {
        HttpResponse<String> response = send("PUT", ApiPaths.CLUSTERS, json("{}"));

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, POST");
    }

    @Test
    void formBody_415() throws Exception {
        HttpRequest request = request("POST", ApiPaths.CLUSTERS, BodyPublishers.ofString("name=x"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .build();

        HttpResponse<String> response = client.send(request, BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(MAPPER.readTree(response.body()).path("detail").asText())
                .contains("-H 'Content-Type: application/json'");
    }

    @Test
    void oversizedBody_413() throws Exception {
        String name = "a".repeat(ControlPlaneApi.MAX_BODY_BYTES);

        HttpResponse<String> response = send("POST", ApiPaths.CLUSTERS,
                json("{'name': '" + name + "'}"));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(MAPPER.readTree(response.body()).path("detail").asText())
                .contains("larger than " + ControlPlaneApi.MAX_BODY_BYTES + " bytes");
    }

    @Test
    void unknownPath_404Json() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v2/nothing", BodyPublishers.noBody());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(MAPPER.readTree(response.body()).path("detail").asText())
                .isEqualTo("no endpoint at /api/v2/nothing (expected: a path under "
                        + "/api/v2/clusters/)");
    }

    private static HttpResponse<String> send(String method, String path, BodyPublisher body)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = request(method, path, body);
        if (body.contentLength() > 0) {
            builder.header("Content-Type", "application/json");
        }
        return client.send(builder.build(), BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String method, String path, BodyPublisher body) {
        return HttpRequest.newBuilder(server.baseUri().resolve(path))
                .timeout(TIMEOUT)
                .method(method, body);
    }

    private static BodyPublisher json(String singleQuoted) {
        return BodyPublishers.ofString(ApiFixture.quotes(singleQuoted));
    }
}
