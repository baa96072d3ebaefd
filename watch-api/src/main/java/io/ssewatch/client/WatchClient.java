package io.ssewatch.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Watches a sse-watch endpoint ({@code ?watch=true}) and keeps a local cache of its resources.
 *
 * <p>The client reads the {@code snapshot} event into the cache, then applies every
 * {@code created}, {@code updated} and {@code deleted} event, and reports each to a
 * {@link WatchListener}. It works with list endpoints (the snapshot is an array) and detail
 * endpoints (the snapshot is one object).
 *
 * <p><b>Reconnects.</b> When the stream ends or fails, the client reconnects with
 * {@code Last-Event-ID} set to the last id it received, so the server sends only the missed
 * changes. When the server can no longer resume and sends a fresh snapshot, the client
 * replaces the cache and reports the differences as deletions, updates and creations, so a
 * listener never misses a deletion that happened while the client was away. The delay
 * before a reconnect is the server's {@code retry:} value after a healthy stream, and grows
 * exponentially with jitter, up to the maximum backoff, while attempts keep failing. A
 * connection that receives nothing, not even a ping, for the ping timeout is presumed dead
 * and replaced.
 *
 * <p><b>Stopping.</b> A response that is neither a stream nor a transient failure (5xx,
 * 408, 429), such as 400, 401, 403 or 404, stops the watch for good: {@link #stopCause()} and
 * {@link WatchListener#onStopped} report the status and the server's {@code detail}. A 404
 * after the first snapshot also removes every cached resource and reports each as deleted.
 * A detail watch stops after its resource is deleted.
 *
 * <p><b>Threads.</b> Each client owns one daemon thread, which runs its timers, parses the
 * stream and, unless the builder got an {@link Executor}, calls the listener. Listener calls
 * never overlap and follow the server's revision order. All public methods are thread-safe.
 * {@link #close()} ends the thread and the connection.
 *
 * @param <T> the resource type: Jackson's {@link JsonNode}, or a class that Jackson maps
 *     each resource to
 */
public final class WatchClient<T> implements AutoCloseable {

    private final WatchEngine<T> engine;

    private WatchClient(WatchEngine<T> engine) {
        this.engine = engine;
    }

    /**
     * Creates a builder for a client that keeps resources as Jackson trees.
     *
     * @param uri a list or detail endpoint; {@code watch=true} is added to the query unless
     *     it is there already
     */
    public static Builder<JsonNode> builder(URI uri) {
        return new Builder<>(uri, JsonNode.class);
    }

    /**
     * Creates a builder for a client that maps each resource to {@code type} with the
     * builder's {@link ObjectMapper}.
     *
     * @param uri a list or detail endpoint; {@code watch=true} is added to the query unless
     *     it is there already
     */
    public static <T> Builder<T> builder(URI uri, Class<T> type) {
        return new Builder<>(uri, Objects.requireNonNull(type, "type"));
    }

    /**
     * Waits until the cache contains the first snapshot.
     *
     * <p>Must not be called from a listener on the client's own thread, which is the thread
     * that applies the snapshot.
     *
     * @return true when the cache contains the first snapshot, which normally means that
     *     {@code onSnapshot} has returned too; false when the timeout elapsed or the client
     *     was closed first
     * @throws WatchStoppedException when the watch stopped for good before the first snapshot
     */
    public boolean awaitSynced(Duration timeout) throws InterruptedException,
            WatchStoppedException {
        engine.delivery().awaitSettled(timeout);
        if (engine.cache().isSynced()) {
            return true;
        }
        WatchStoppedException cause = engine.stopCause();
        if (cause != null) {
            throw cause;
        }
        return false;
    }

    /** Returns whether the cache contains a snapshot. It stays synced during reconnects. */
    public boolean isSynced() {
        return engine.cache().isSynced();
    }

    /**
     * Returns an unmodifiable copy of the cache, keyed by resource id, in the server's order
     * with later creations appended. The copy is consistent: it reflects the cache between two
     * changes. With tree values, treat the {@link JsonNode}s as read-only: the cache shares
     * them.
     */
    public Map<String, T> resources() {
        return engine.cache().copy();
    }

    /** Returns the cached resource with this id. */
    public Optional<T> get(String id) {
        return engine.cache().get(id);
    }

    /**
     * Returns the id of the last event or {@code id:}-only frame received: the cursor that the
     * next reconnect sends as {@code Last-Event-ID}. Empty before the first snapshot.
     */
    public Optional<String> lastEventId() {
        String id = engine.lastEventId();
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    /** Returns why the watch stopped for good, or empty while it runs or after close(). */
    public Optional<WatchStoppedException> stopCause() {
        return Optional.ofNullable(engine.stopCause());
    }

    /**
     * Closes the connection and ends the client's thread. No listener call starts after this
     * returns, but a call already running on an {@code Executor}'s thread may still finish.
     * When called from a listener on the client's own thread, the thread ends after that
     * listener returns. Otherwise this waits up to 5 seconds for a running listener call,
     * then interrupts it. Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return engine.toString();
    }

    /**
     * Configures and starts a {@link WatchClient}. Not thread-safe; {@link #start()} may be
     * called more than once to start independent clients with the same settings.
     */
    public static final class Builder<T> {

        private final URI uri;
        private final Class<T> type;
        private HttpClient httpClient;
        private Supplier<? extends Map<String, String>> headers = Map::of;
        private Duration pingTimeout = Duration.ofSeconds(45);
        private Duration minBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Executor executor;
        private ObjectMapper mapper;
        private String idField = "id";
        private WatchListener<T> listener = new WatchListener<>() {
        };

        private Builder(URI uri, Class<T> type) {
            this.uri = WatchUris.withWatchParameter(uri);
            this.type = type;
        }

        /**
         * Sets the HTTP client. The default is one client shared by all watch clients, which
         * uses HTTP/1.1, follows redirects (except https to http) and starts no thread pool.
         * Pass your own for TLS settings, a proxy or HTTP/2.
         */
        public Builder<T> httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * Sets a supplier of request headers, such as {@code Authorization}, called on the
         * client's thread before every connection attempt, so that credentials can be
         * refreshed. An exception from it counts as a failed attempt. The client sets
         * {@code Accept}, {@code Cache-Control} and {@code Last-Event-ID} itself.
         */
        public Builder<T> headers(Supplier<? extends Map<String, String>> headers) {
            this.headers = Objects.requireNonNull(headers, "headers");
            return this;
        }

        /**
         * Sets how long a connection may receive nothing before the client presumes it dead
         * and reconnects; this also bounds the wait for response headers. The default is 45
         * seconds: three of the server's default 15-second ping intervals.
         */
        public Builder<T> pingTimeout(Duration pingTimeout) {
            this.pingTimeout = requirePositive("pingTimeout", pingTimeout);
            return this;
        }

        /**
         * Sets the reconnect backoff. The first retry after a failure waits about {@code min},
         * or the server's {@code retry:} value if that is larger. Each further failure doubles
         * the delay, up to {@code max}. For jitter, the delay is drawn from the upper half of
         * that range, but never below the server's {@code retry:} value. Defaults: 1 s and
         * 30 s.
         */
        public Builder<T> backoff(Duration min, Duration max) {
            requirePositive("min", min);
            requirePositive("max", max);
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("backoff max: " + max + " (expected: >= min "
                        + min + ")");
            }
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /**
         * Sets the executor that calls the listener. Calls stay serial and ordered on any
         * executor. By default the client's own thread calls the listener, so a slow listener
         * slows down the reading of the stream. With an executor, the client reads on and
         * queues the calls without bound.
         */
        public Builder<T> executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Sets the Jackson mapper that parses events and maps resources to the type. */
        public Builder<T> objectMapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /** Sets the name of the JSON field that contains a resource's id. Default: {@code id}. */
        public Builder<T> idField(String idField) {
            Objects.requireNonNull(idField, "idField");
            if (idField.isEmpty()) {
                throw new IllegalArgumentException("idField is empty (expected: a JSON field"
                        + " name such as \"id\")");
            }
            this.idField = idField;
            return this;
        }

        public Builder<T> listener(WatchListener<T> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Creates the client and starts connecting, on the client's own thread. */
        public WatchClient<T> start() {
            WatchConfig<T> config = new WatchConfig<>(uri,
                    httpClient != null ? httpClient : DefaultHttpClient.get(),
                    headers, pingTimeout, minBackoff, maxBackoff, executor,
                    mapper != null ? mapper : DefaultMapper.INSTANCE,
                    type, idField, listener);
            WatchEngine<T> engine = new WatchEngine<>(config);
            engine.start();
            return new WatchClient<>(engine);
        }

        private static Duration requirePositive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }
    }

    /** The mapper of clients that were not given one; ObjectMapper is thread-safe. */
    private static final class DefaultMapper {
        static final ObjectMapper INSTANCE = new ObjectMapper();
    }
}
