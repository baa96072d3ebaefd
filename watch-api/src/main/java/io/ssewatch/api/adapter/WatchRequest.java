package io.ssewatch.api.adapter;

import java.util.Objects;
import java.util.function.Function;

/**
 * What an HTTP adapter hands the core about one request.
 *
 * @param method the HTTP method, upper case
 * @param path the decoded request path, without the query
 * @param rawQuery the query string as received, still percent-encoded, or {@code null}
 * @param headers looks up a request header by case-insensitive name and returns its first
 *     value, or {@code null} when absent
 * @param nativeRequest the adapter's own request object (Jetty's {@code Request}, Undertow's
 *     {@code HttpServerExchange}), for the host's authorization hook; may be {@code null}
 */
public record WatchRequest(
        String method, String path, String rawQuery, Function<String, String> headers,
        Object nativeRequest) {

    public WatchRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(headers, "headers");
    }

    /** Returns the first value of a request header, or {@code null}. */
    public String header(String name) {
        return headers.apply(name);
    }
}
