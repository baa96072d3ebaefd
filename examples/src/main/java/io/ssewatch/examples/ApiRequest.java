package io.ssewatch.examples;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One HTTP request in the form that {@link ControlPlaneApi} takes, independent of the HTTP
 * server.
 *
 * @param method the request method in upper case, such as {@code GET}
 * @param path the request path as sent, still percent-encoded, without the query
 * @param query the raw query string without the {@code ?}, or {@code null} when there is none
 * @param contentType the {@code Content-Type} header, or {@code null} when it is missing
 * @param body the request body, empty when there is none; not copied
 */
public record ApiRequest(String method, String path, String query, String contentType,
        byte[] body) {

    public ApiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(body, "body");
    }

    /** Creates a request without a body, such as a GET or DELETE. */
    public static ApiRequest of(String method, String path) {
        return new ApiRequest(method, path, null, null, new byte[0]);
    }

    /** Creates a request with a JSON body. */
    public static ApiRequest json(String method, String path, String json) {
        return new ApiRequest(method, path, null, ControlPlaneApi.JSON,
                json.getBytes(StandardCharsets.UTF_8));
    }
}
