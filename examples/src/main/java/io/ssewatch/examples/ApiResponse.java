package io.ssewatch.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The response of {@link ControlPlaneApi}: what an HTTP server glue writes back unchanged.
 *
 * @param status the HTTP status code
 * @param headers the response headers, including {@code Content-Type} when there is a body
 * @param body the response body, empty for 204; not copied
 */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public ApiResponse {
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** Creates a response whose body is {@code value} serialized by Jackson. */
    public static ApiResponse json(int status, Object value, Map<String, String> extraHeaders) {
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serializing a " + status + " response failed", e);
        }
        Map<String, String> headers = new HashMap<>(extraHeaders);
        headers.put("Content-Type", ControlPlaneApi.JSON);
        return new ApiResponse(status, headers, body);
    }

    /**
     * Creates an error response with the body {@code {"detail": ...}}, for a server glue that
     * rejects a request before it reaches {@link ControlPlaneApi}, such as a body too large.
     */
    public static ApiResponse error(int status, String detail) {
        return json(status, Map.of("detail", detail), Map.of());
    }

    /** Returns the body decoded as UTF-8, for tests and logs of error responses. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
