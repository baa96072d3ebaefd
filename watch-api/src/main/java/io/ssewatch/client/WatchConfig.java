package io.ssewatch.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** The settings of one watch client, validated by {@link WatchClient.Builder}. */
record WatchConfig<T>(
        URI uri,
        HttpClient httpClient,
        Supplier<? extends Map<String, String>> headers,
        Duration pingTimeout,
        Duration minBackoff,
        Duration maxBackoff,
        Executor executor,
        ObjectMapper mapper,
        Class<T> type,
        String idField,
        WatchListener<T> listener) {

    /**
     * Returns the URI without query, fragment or user info, for logs and messages, which must
     * not leak credentials that a query may carry.
     */
    String target() {
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return uri.getScheme() + "://" + uri.getHost() + port + uri.getRawPath();
    }
}
