package io.ssewatch.examples;

import static io.ssewatch.examples.ApiFixture.detail;
import static io.ssewatch.examples.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.ssewatch.api.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiErrorsTest {

    private static final String CLUSTER = "/api/v2/clusters/00000000-0000-4000-8000-000000000001/";
    private static final String POOL =
            CLUSTER + "storage-pools/00000000-0000-4000-8000-000000000002/";

    private final InterceptingStore store = new InterceptingStore();
    private final ApiFixture api = new ApiFixture(store);

    @AfterEach
    void closeStore() {
        api.close();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "PUT    | /api/v2/clusters/                                | GET, POST",
        "DELETE | /api/v2/clusters/                                | GET, POST",
        "POST   | " + CLUSTER + "                                  | GET",
        "DELETE | " + CLUSTER + "                                  | GET",
        "PATCH  | " + CLUSTER + "storage-pools/                    | GET, POST",
        "POST   | " + POOL + "                                     | GET, DELETE",
        "PATCH  | " + POOL + "                                     | GET, DELETE",
        "DELETE | " + POOL + "volumes/                             | GET, POST",
        "POST   | " + POOL + "volumes/00000000-0000-4000-8000-000000000003/ | GET, PATCH, DELETE",
        "PUT    | " + POOL + "volumes/00000000-0000-4000-8000-000000000003/ | GET, PATCH, DELETE",
        "POST   | " + CLUSTER + "storage-nodes/                    | GET",
        "DELETE | " + CLUSTER + "storage-nodes/00000000-0000-4000-8000-000000000004/ | GET",
        "HEAD   | /api/v2/clusters/                                | GET, POST",
    })
    void disallowedMethod_405WithAllow(String method, String path, String allow) {
        ApiResponse response = api.api.handle(ApiRequest.of(method, path));

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsEntry("Allow", allow);
        assertThat(detail(response)).contains("method " + method + " is not allowed",
                "(allowed: " + allow + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/v2/", "/api/v2/clusters/x/unknown/", "/api/v1/clusters/",
        "/api/v2/clusters//", "/api/v2/clusters/a/b/c/d/e/f/g/"})
    void unknownPath_404(String path) {
        ApiResponse response = api.get(path);

        assertThat(response.status()).isEqualTo(404);
        assertThat(detail(response)).isEqualTo("no endpoint at " + path
                + " (expected: a path under /api/v2/clusters/)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "00000000-0000-4000-8000-00000000000G",
        "00000000-0000-4000-8000-00000000000A", "%20", "0-0-0-0-0"})
    void malformedId_404(String id) {
        ApiResponse response = api.get(ApiPaths.cluster(id));

        assertThat(response.status()).isEqualTo(404);
        assertThat(detail(response)).isEqualTo("cluster \"" + id + "\" not found, because ids "
                + "are lower-case UUIDs (expected: an id from GET /api/v2/clusters/)");
    }

    @Test
    void malformedVolumeId_namesVolumeList() {
        ApiResponse response = api.get(api.volumesPath() + "vol-1/");

        assertThat(response.status()).isEqualTo(404);
        assertThat(detail(response)).startsWith("volume \"vol-1\" not found")
                .endsWith("(expected: an id from GET " + api.volumesPath() + ")");
    }

    @Test
    void missingContentType_415() {
        ApiResponse response = api.api.handle(new ApiRequest("POST", ApiPaths.CLUSTERS, null,
                null, bytes("{\"name\": \"c\"}")));

        assertThat(response.status()).isEqualTo(415);
        assertThat(detail(response)).isEqualTo("Content-Type is missing (expected: "
                + "application/json; with curl, add -H 'Content-Type: application/json')");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "text/plain",
        "application/merge-patch+json", "application/json; charset=iso-8859-1"})
    void postWithOtherContentType_415(String contentType) {
        ApiResponse response = api.api.handle(new ApiRequest("POST", ApiPaths.CLUSTERS, null,
                contentType, bytes("{\"name\": \"c\"}")));

        assertThat(response.status()).isEqualTo(415);
        assertThat(detail(response)).contains("\"" + contentType + "\"", "expected");
        assertThat(json(api.get(ApiPaths.CLUSTERS))).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "Application/JSON",
        "application/json; charset=utf-8", "application/json;charset=\"UTF-8\""})
    void postWithJsonContentType_accepted(String contentType) {
        ApiResponse response = api.api.handle(new ApiRequest("POST", ApiPaths.CLUSTERS, null,
                contentType, bytes("{\"name\": \"c\"}")));

        assertThat(response.status()).as(response.bodyText()).isEqualTo(201);
    }

    @Test
    void patchWithTextContentType_415() {
        String path = api.volumePath(api.seed.volumeIds().get(0));

        ApiResponse response = api.api.handle(new ApiRequest("PATCH", path, null, "text/plain",
                bytes("{\"name\": \"v\"}")));

        assertThat(response.status()).isEqualTo(415);
        assertThat(detail(response)).contains("application/json or application/merge-patch+json");
    }

    @Test
    void queryParameters_ignored() {
        ApiResponse response = api.api.handle(new ApiRequest("GET", ApiPaths.CLUSTERS,
                "watch=false&limit=1", null, new byte[0]));

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response)).hasSize(1);
    }

    @Test
    void storeUnavailable_503WithRetryAfter() {
        store.readFailure = new StoreUnavailableException("connection refused");

        ApiResponse list = api.get(ApiPaths.CLUSTERS);
        ApiResponse detail = api.get(api.clusterPath());

        assertThat(list.status()).isEqualTo(503);
        assertThat(list.headers()).containsEntry("Retry-After", "1");
        assertThat(detail(list)).contains("store is unavailable", "retry");
        assertThat(detail.status()).isEqualTo(503);
    }

    @Test
    void unexpectedException_500WithoutInternals() {
        store.readFailure = new IllegalStateException("secret internal state");

        ApiResponse response = api.get(ApiPaths.CLUSTERS);

        assertThat(response.status()).isEqualTo(500);
        assertThat(detail(response)).isEqualTo("internal error while handling GET "
                + "/api/v2/clusters/ (the server log has the cause)");
    }

    @Test
    void errorBody_hasOnlyDetail() {
        ApiResponse response = api.get(ApiPaths.cluster(UUID.randomUUID().toString()));

        assertThat(response.headers()).containsEntry("Content-Type", "application/json");
        assertThat(json(response).size()).isEqualTo(1);
        assertThat(json(response).has("detail")).isTrue();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
