package io.ssewatch.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssewatch.api.adapter.WatchConnection;
import io.ssewatch.api.adapter.WatchRequest;
import io.ssewatch.api.adapter.WatchSink;
import io.ssewatch.api.internal.Engine;
import io.ssewatch.api.internal.EngineConfig;
import io.ssewatch.api.internal.WatchSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The entry point of sse-watch: turns watch requests into Server-Sent Events streams.
 *
 * <p>An HTTP adapter calls {@link #open} for every request it sees. Requests that are not
 * watches come back empty and go to the host's own handler unchanged. For a watch, the
 * service answers through the adapter's {@link WatchSink}: a 400 or 404 before any stream, or
 * a stream that starts with a snapshot and continues with every change.
 *
 * <p>One hub per collection serves all watches of that collection from memory, so the
 * store's load does not grow with the number of watchers. Thread-safe; create one per store
 * and share it among adapters. {@link #close} ends every stream.
 */
public final class WatchService implements AutoCloseable {

    /** The largest batch of queued frames joined into one write. */
    private static final int MAX_WRITE_BYTES = 64 * 1024;

    private final Engine engine;

    private WatchService(Engine engine) {
        this.engine = engine;
    }

    /** Starts a builder for a service over {@code store}. */
    public static Builder builder(Store store) {
        return new Builder(store);
    }

    /**
     * Handles one request.
     *
     * @return empty when the request is not a watch (not a GET, no {@code watch=true}, or no
     *     route matches), in which case the adapter passes it on and must not touch the sink;
     *     otherwise the connection, whose {@link WatchConnection#clientGone} the adapter calls
     *     when the server notices that the client left
     */
    public Optional<WatchConnection> open(WatchRequest request, WatchSink sink) {
        return engine.open(request, sink);
    }

    /** Returns the collections that have a running hub. */
    public List<String> activeCollections() {
        return engine.hubCollections();
    }

    /**
     * Ends every stream with an {@code unavailable} event, so clients reconnect, and stops the
     * hubs and the timer. Does not close the store. Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }

    /** Builds a {@link WatchService}. Not thread-safe. */
    public static final class Builder {
        private final Store store;
        private final List<WatchRoute> routes = new ArrayList<>();
        private ObjectMapper mapper = new ObjectMapper();
        private WatchMetrics metrics = WatchMetrics.NONE;
        private Duration pingInterval = Duration.ofSeconds(15);
        private Duration retry = Duration.ofSeconds(3);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private int bufferEvents = 1024;
        private long bufferBytes = 1024 * 1024;
        private long maxBufferBytes = 8 * 1024 * 1024;
        private int historyLimit = 10_000;
        private Duration historyMaxAge = Duration.ofMinutes(5);
        private Duration hubIdleTimeout = Duration.ofSeconds(30);
        private WatchAuthorizer authorizer = WatchAuthorizer.ALLOW_ALL;
        private Duration reauthorizeInterval = Duration.ofMinutes(5);
        private Duration maxLifetime = Duration.ofHours(1);
        private double lifetimeJitter = 0.1;
        private int maxWatches = Integer.MAX_VALUE;
        private int maxWatchesPerPrincipal = Integer.MAX_VALUE;
        private int maxEventBytes = 1024 * 1024;
        private CorsPolicy cors;

        private Builder(Store store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Adds a watchable route; routes are matched in the order added. */
        public Builder route(WatchRoute route) {
            routes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        /** Sets the mapper that serializes rendered resources; by default a plain one. */
        public Builder objectMapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /** Sets the metrics receiver; by default none. */
        public Builder metrics(WatchMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Sets how long a stream may be quiet before a {@code : ping} comment is written;
         * 15 seconds by default. Keep it below the HTTP server's idle timeout. A failed ping
         * is how a vanished HTTP/1.1 client is noticed, so it takes up to about two
         * intervals.
         */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = positive("pingInterval", interval);
            return this;
        }

        /** Sets the reconnection delay announced in {@code retry:}; 3 seconds by default. */
        public Builder retry(Duration retry) {
            this.retry = positive("retry", retry);
            return this;
        }

        /**
         * Sets how long one write may stay incomplete before the stream is cut as too slow;
         * 30 seconds by default.
         */
        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = positive("writeTimeout", timeout);
            return this;
        }

        /**
         * Sets the soft bounds of each watch's buffer; past either one, pending changes
         * coalesce per resource, the latest state winning. 1024 events and 1 MiB by default.
         */
        public Builder buffer(int events, long bytes) {
            if (events < 1 || bytes < 1) {
                throw new IllegalArgumentException("buffer: " + events + " events, " + bytes
                        + " bytes (expected: both > 0)");
            }
            this.bufferEvents = events;
            this.bufferBytes = bytes;
            return this;
        }

        /**
         * Sets the hard bound of each watch's buffer; past it, even after coalescing, the
         * stream closes and the client resumes from its last event id. 8 MiB by default.
         */
        public Builder maxBufferBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBufferBytes: " + bytes + " (expected: > 0)");
            }
            this.maxBufferBytes = bytes;
            return this;
        }

        /**
         * Sets how far back each hub's history reaches for resume, by count and by age;
         * 10,000 changes and 5 minutes by default. An older cursor gets a fresh snapshot.
         */
        public Builder history(int limit, Duration maxAge) {
            if (limit < 0) {
                throw new IllegalArgumentException("history limit: " + limit + " (expected: >= 0)");
            }
            this.historyLimit = limit;
            this.historyMaxAge = positive("history maxAge", maxAge);
            return this;
        }

        /**
         * Sets how long a hub without watches keeps following the store before it stops;
         * 30 seconds by default.
         */
        public Builder hubIdleTimeout(Duration timeout) {
            this.hubIdleTimeout = positive("hubIdleTimeout", timeout);
            return this;
        }

        /**
         * Sets the authorization hook, called when a watch opens and again every
         * {@code reauthorizeInterval} while it is open; by default every watch is allowed,
         * and checked again every 5 minutes.
         */
        public Builder authorizer(WatchAuthorizer authorizer, Duration reauthorizeInterval) {
            this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
            this.reauthorizeInterval = positive("reauthorizeInterval", reauthorizeInterval);
            return this;
        }

        /**
         * Sets the maximum lifetime of a stream, after which it ends cleanly and the client
         * resumes; 1 hour by default. Each stream's lifetime is shortened by a random part of
         * up to {@code jitter} (0.1 by default, so 54 to 60 minutes), so that clients do not
         * reconnect in one wave.
         */
        public Builder maxLifetime(Duration lifetime, double jitter) {
            this.maxLifetime = positive("maxLifetime", lifetime);
            if (!(jitter >= 0 && jitter < 1)) {
                throw new IllegalArgumentException("jitter: " + jitter + " (expected: 0 <= jitter < 1)");
            }
            this.lifetimeJitter = jitter;
            return this;
        }

        /**
         * Sets the maximum number of open streams, in total and per principal (as returned by
         * the authorizer); unlimited by default. A watch over a limit gets a 200 with
         * {@code retry:} and an {@code unavailable} event, so that browsers retry later.
         */
        public Builder maxWatches(int total, int perPrincipal) {
            if (total < 1 || perPrincipal < 1) {
                throw new IllegalArgumentException("maxWatches: " + total + " total, " + perPrincipal
                        + " per principal (expected: both > 0)");
            }
            this.maxWatches = total;
            this.maxWatchesPerPrincipal = perPrincipal;
            return this;
        }

        /**
         * Sets the largest rendered resource sent in one event; 1 MiB by default. A larger one
         * is replaced by an {@code oversized} event that names it, so clients can fetch it with
         * a GET.
         */
        public Builder maxEventBytes(int bytes) {
            if (bytes < 64) {
                throw new IllegalArgumentException("maxEventBytes: " + bytes + " (expected: >= 64)");
            }
            this.maxEventBytes = bytes;
            return this;
        }

        /** Enables cross-origin access to watch routes; off by default. */
        public Builder cors(CorsPolicy cors) {
            this.cors = Objects.requireNonNull(cors, "cors");
            return this;
        }

        public WatchService build() {
            if (maxBufferBytes < bufferBytes) {
                throw new IllegalArgumentException("maxBufferBytes: " + maxBufferBytes
                        + " is below the soft buffer bound " + bufferBytes
                        + " (expected: maxBufferBytes >= buffer bytes)");
            }
            WatchSettings settings = new WatchSettings(pingInterval.toNanos(), retry.toMillis(),
                    writeTimeout.toNanos(), bufferEvents, bufferBytes, maxBufferBytes,
                    MAX_WRITE_BYTES, reauthorizeInterval.toNanos(), maxEventBytes);
            EngineConfig config = new EngineConfig(store, List.copyOf(routes), mapper, metrics,
                    authorizer, settings, historyLimit, historyMaxAge.toNanos(),
                    hubIdleTimeout.toNanos(), maxLifetime.toNanos(), lifetimeJitter, maxWatches,
                    maxWatchesPerPrincipal, cors);
            return new WatchService(new Engine(config));
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }
    }
}
