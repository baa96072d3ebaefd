package io.ssewatch.examples;

import java.util.Map;

/**
 * A request that the control plane rejects, with the HTTP status and the message that goes
 * into the {@code {"detail": ...}} body. Thrown inside a store transaction, it also rolls the
 * transaction back.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, String> headers;

    public ApiException(int status, String detail) {
        this(status, detail, Map.of());
    }

    public ApiException(int status, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    static ApiException badRequest(String detail) {
        return new ApiException(400, detail);
    }

    static ApiException notFound(String detail) {
        return new ApiException(404, detail);
    }

    static ApiException conflict(String detail) {
        return new ApiException(409, detail);
    }

    static ApiException unprocessable(String detail) {
        return new ApiException(422, detail);
    }

    /** Returns the HTTP status code. */
    public int status() {
        return status;
    }

    /** Returns extra response headers, such as {@code Allow} on a 405. */
    public Map<String, String> headers() {
        return headers;
    }
}
