package io.ssewatch.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cross-origin access to watch routes, so that a page served from another origin can open an
 * {@code EventSource} on them. Off unless the service is built with a policy.
 *
 * <p>An allowed origin gets {@code Access-Control-Allow-Origin} with its own value (never
 * {@code *}, so that credentials can work), {@code Vary: Origin}, and with
 * {@link #allowCredentials} {@code Access-Control-Allow-Credentials: true}. A preflight
 * {@code OPTIONS} request, which fetch-based EventSource polyfills send because they set
 * {@code Last-Event-ID}, gets 204, which allows {@code Last-Event-ID}, {@code Authorization}
 * and {@code Cache-Control}. Immutable and thread-safe.
 */
public final class CorsPolicy {

    private final List<String> origins;
    private final boolean credentials;
    private final Duration maxAge;

    private CorsPolicy(List<String> origins, boolean credentials, Duration maxAge) {
        this.origins = origins;
        this.credentials = credentials;
        this.maxAge = maxAge;
    }

    /**
     * Allows the given origins, such as {@code https://console.example.com}; {@code *} allows
     * every origin.
     */
    public static CorsPolicy allowOrigins(String... origins) {
        if (origins.length == 0) {
            throw new IllegalArgumentException("origins: none given (expected: at least one "
                    + "origin such as https://console.example.com, or *)");
        }
        for (String origin : origins) {
            Objects.requireNonNull(origin, "origin");
            if (!origin.equals("*") && (origin.endsWith("/") || !origin.contains("://"))) {
                throw new IllegalArgumentException("origin: \"" + origin
                        + "\" (expected: scheme://host[:port] without a path, or *)");
            }
        }
        return new CorsPolicy(List.of(origins), false, Duration.ofMinutes(10));
    }

    /** Returns a copy that also allows credentials (cookies, HTTP authentication). */
    public CorsPolicy allowCredentials() {
        return new CorsPolicy(origins, true, maxAge);
    }

    /** Returns a copy with the time a browser may cache a preflight response. */
    public CorsPolicy maxAge(Duration maxAge) {
        return new CorsPolicy(origins, credentials, Objects.requireNonNull(maxAge, "maxAge"));
    }

    /** Returns whether requests from {@code origin} may read watch responses. */
    public boolean allows(String origin) {
        return origin != null && (origins.contains("*") || origins.contains(origin));
    }

    /** Returns the headers added to every response for an allowed origin. */
    public Map<String, String> responseHeaders(String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Access-Control-Allow-Origin", origin);
        headers.put("Vary", "Origin");
        if (credentials) {
            headers.put("Access-Control-Allow-Credentials", "true");
        }
        return headers;
    }

    /** Returns the headers of the 204 response to a preflight request. */
    public Map<String, String> preflightHeaders(String origin) {
        Map<String, String> headers = responseHeaders(origin);
        headers.put("Access-Control-Allow-Methods", "GET");
        headers.put("Access-Control-Allow-Headers", "Last-Event-ID, Authorization, Cache-Control");
        headers.put("Access-Control-Max-Age", Long.toString(maxAge.toSeconds()));
        return headers;
    }

    @Override
    public String toString() {
        return "CorsPolicy{origins=" + origins + ", credentials=" + credentials + "}";
    }
}
