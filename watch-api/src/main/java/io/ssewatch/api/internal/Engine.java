package io.ssewatch.api.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssewatch.api.InvalidRevisionException;
import io.ssewatch.api.PathParams;
import io.ssewatch.api.Renderer;
import io.ssewatch.api.ResourceRef;
import io.ssewatch.api.Revision;
import io.ssewatch.api.Store;
import io.ssewatch.api.WatchDecision;
import io.ssewatch.api.WatchMetrics;
import io.ssewatch.api.WatchRoute;
import io.ssewatch.api.adapter.WatchConnection;
import io.ssewatch.api.adapter.WatchRequest;
import io.ssewatch.api.adapter.WatchSink;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implementation behind {@code WatchService}: turns requests into watches, owns the hubs
 * (one per collection) and the timer that drives pings, bookmarks and write timeouts.
 */
public final class Engine {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final WatchConnection NO_CONNECTION = cause -> { };

    private final EngineConfig config;
    private final WatchSettings settings;
    private final List<Renderer> renderers = new ArrayList<>();
    private final Map<Renderer, Integer> rendererIndex = new IdentityHashMap<>();
    private final Map<String, Hub> hubs = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService authorizationExecutor;
    private final ForkJoinPool writers;
    private final WatchLimits limits;
    private volatile boolean closed;

    public Engine(EngineConfig config) {
        this.config = config;
        this.settings = config.settings();
        for (WatchRoute route : config.routes()) {
            rendererIndex.computeIfAbsent(route.renderer(), r -> {
                renderers.add(r);
                return renderers.size() - 1;
            });
        }
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "sse-watch-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.authorizationExecutor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sse-watch-authorization");
            thread.setDaemon(true);
            return thread;
        });
        this.limits = new WatchLimits(config.maxWatches(), config.maxWatchesPerPrincipal());
        AtomicInteger writerThreads = new AtomicInteger();
        this.writers = new ForkJoinPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                pool -> {
                    ForkJoinWorkerThread thread =
                            ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                    thread.setName("sse-watch-writer-" + writerThreads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, null, true);
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
                Math.min(TimeUnit.SECONDS.toNanos(1), settings.pingNanos() / 4));
        timer.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.NANOSECONDS);
        LOG.info("Watch service started: {} routes, ping every {} ms", config.routes().size(),
                TimeUnit.NANOSECONDS.toMillis(settings.pingNanos()));
    }

    /**
     * Opens a watch for a request, or returns empty when the request is not a watch and the
     * adapter should pass it on: not a GET, no {@code watch} parameter or {@code watch=false},
     * or a path no route matches.
     */
    public Optional<WatchConnection> open(WatchRequest request, WatchSink sink) {
        boolean preflight = "OPTIONS".equals(request.method()) && config.cors() != null;
        if (!"GET".equals(request.method()) && !preflight) {
            return Optional.empty();
        }
        String watchParam = QueryString.first(request.rawQuery(), "watch");
        if (watchParam == null || "false".equals(watchParam)) {
            return Optional.empty();
        }
        for (WatchRoute route : config.routes()) {
            PathParams params = route.match(request.path());
            if (params == null) {
                continue;
            }
            Map<String, String> cors = corsHeaders(request);
            if (preflight) {
                String origin = request.header("Origin");
                sink.respond(204, cors.isEmpty() ? Map.of()
                        : config.cors().preflightHeaders(origin), new byte[0]);
                return Optional.of(NO_CONNECTION);
            }
            return Optional.of(open(request, sink, route, params, watchParam, cors));
        }
        return Optional.empty();
    }

    private Map<String, String> corsHeaders(WatchRequest request) {
        String origin = request.header("Origin");
        if (config.cors() == null || !config.cors().allows(origin)) {
            return Map.of();
        }
        return config.cors().responseHeaders(origin);
    }

    private WatchConnection open(WatchRequest request, WatchSink sink, WatchRoute route,
            PathParams params, String watchParam, Map<String, String> cors) {
        if (!"true".equals(watchParam)) {
            return reject(sink, cors, 400, "watch: \"" + watchParam
                    + "\" is invalid (expected: true or false)");
        }
        if (closed) {
            return unavailable(sink, cors, "the server is shutting down");
        }
        Revision cursor;
        String collection;
        List<ResourceRef> parents;
        try {
            cursor = cursor(request);
            collection = route.collection(params);
            parents = route.parents(params);
        } catch (IllegalArgumentException e) {
            return reject(sink, cors, 400, e.getMessage());
        }
        WatchDecision decision = authorize(request, route, params);
        if (!decision.isAllowed()) {
            return reject(sink, cors, decision.status(), decision.message());
        }
        String limit = limits.reserve(decision.principal());
        if (limit != null) {
            LOG.warn("Watch on {} by {} refused: {}", request.path(), decision.principal(), limit);
            config.metrics().watchRejected(collection, limit);
            return unavailable(sink, cors, limit + ", retrying");
        }
        Hub hub = acquireHub(collection);
        Watch watch = new Watch(hub, route, params, request, decision,
                rendererIndex.get(route.renderer()), sink, settings, lifetimeNanos(), cors);
        watch.onRelease(() -> limits.release(decision.principal()));
        List<Hub> parentHubs = new ArrayList<>(parents.size());
        List<CompletableFuture<Hub>> ready = new ArrayList<>();
        ready.add(hub.ready());
        for (ResourceRef parent : parents) {
            Hub parentHub = acquireHub(parent.collection());
            parentHubs.add(parentHub);
            ready.add(parentHub.ready());
        }
        CompletableFuture<Void> allReady = CompletableFuture.allOf(
                ready.toArray(CompletableFuture[]::new));
        // A hub that is ready already opens the watch on this thread. One that is still
        // loading completes on a store thread (FoundationDB's network thread), which must not
        // render snapshots, so the opening then moves to the writer pool.
        Executor openOn = allReady.isDone() ? Runnable::run : this::writeLater;
        allReady.whenCompleteAsync((ignored, error) -> {
            if (error != null) {
                hub.release();
                parentHubs.forEach(Hub::release);
                watch.sinkRespond(200, streamHeaders(cors),
                        unavailableBody("the store is unavailable, retrying"));
                watch.discard();
            } else {
                attach(hub, watch, cursor, parents, parentHubs);
            }
        }, openOn);
        return watch;
    }

    private WatchDecision authorize(WatchRequest request, WatchRoute route, PathParams params) {
        try {
            return config.authorizer().authorize(request, route, params);
        } catch (RuntimeException e) {
            LOG.error("Authorization hook failed for {}; denying the watch", request.path(), e);
            return WatchDecision.forbidden("authorization failed");
        }
    }

    /** Runs the authorization hook again for an open stream, off the timer thread. */
    void reauthorize(Watch watch) {
        try {
            authorizationExecutor.execute(() -> {
                WatchDecision decision = authorize(watch.request, watch.route, watch.params);
                watch.authorized(decision.isAllowed());
            });
        } catch (RejectedExecutionException e) {
            watch.authorized(true);
        }
    }

    private long lifetimeNanos() {
        double shortening = config.lifetimeJitter() * ThreadLocalRandom.current().nextDouble();
        return (long) (config.lifetimeNanos() * (1.0 - shortening));
    }

    /**
     * Reads the resume cursor: the {@code Last-Event-ID} header, or on a first connection
     * the {@code lastEventId} query parameter; the header wins. Returns {@code null} when
     * there is none or it belongs to a history that is gone.
     */
    private Revision cursor(WatchRequest request) {
        String name = "Last-Event-ID";
        String token = request.header(name);
        if (token == null || token.isEmpty()) {
            name = "lastEventId";
            token = QueryString.first(request.rawQuery(), name);
        }
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            return config.store().parseRevision(token).orElse(null);
        } catch (InvalidRevisionException e) {
            throw new InvalidRevisionException(name + ": " + e.getMessage());
        }
    }

    private void attach(Hub hub, Watch watch, Revision cursor, List<ResourceRef> parents,
            List<Hub> parentHubs) {
        if (watch.isClosed()) {
            hub.release();
            parentHubs.forEach(Hub::release);
            return;
        }
        for (int i = 0; i < parents.size(); i++) {
            if (!parentHubs.get(i).guard(parents.get(i).id(), watch)) {
                for (Hub rest : parentHubs.subList(i + 1, parentHubs.size())) {
                    rest.release();
                }
                hub.release();
                notFound(watch);
                return;
            }
        }
        Hub.Opening opening = hub.register(watch, cursor);
        if (opening == null) {
            watch.sinkRespond(200, streamHeaders(watch.corsHeaders),
                    unavailableBody("the hub restarted, retrying"));
            watch.discard();
            return;
        }
        if (!opening.found()) {
            notFound(watch);
            return;
        }
        if (watch.isClosed()) {
            // The client left between the check above and the registration.
            watch.discard();
            hub.unregister(watch);
            return;
        }
        if (!watch.begin(streamHeaders(watch.corsHeaders),
                Openings.initialFrames(this, watch, opening))) {
            notFound(watch);
        }
    }

    /** Responds with 404 before any stream and releases whatever the watch holds. */
    private void notFound(Watch watch) {
        watch.sinkRespond(404, jsonHeaders(watch.corsHeaders),
                Json.detail("not found: " + watch.path));
        watch.discard();
    }

    private Hub acquireHub(String collection) {
        while (true) {
            Hub hub = hubs.get(collection);
            if (hub == null) {
                Hub created = new Hub(this, collection);
                hub = hubs.putIfAbsent(collection, created);
                if (hub == null) {
                    hub = created;
                    // Reserve before loading: a load that fails at once must still find this
                    // request waiting, not a hub that is already gone.
                    hub.acquire();
                    hub.load();
                    return hub;
                }
            }
            if (hub.acquire()) {
                return hub;
            }
            hubs.remove(collection, hub);
        }
    }

    void removeHub(Hub hub) {
        hubs.remove(hub.collection, hub);
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            for (Hub hub : hubs.values()) {
                hub.tick(now);
            }
        } catch (RuntimeException e) {
            LOG.error("Watch timer failed; it runs again at the next tick", e);
        }
    }

    /** Closes every hub; open streams end with {@code unavailable} so clients reconnect. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Hub hub : List.copyOf(hubs.values())) {
            hub.shutdown();
        }
        timer.shutdownNow();
        authorizationExecutor.shutdownNow();
        writers.shutdown();
        LOG.info("Watch service stopped");
    }

    /** Returns the hubs currently running, for statistics. */
    public List<String> hubCollections() {
        return List.copyOf(hubs.keySet());
    }

    private static WatchConnection reject(WatchSink sink, Map<String, String> cors, int status,
            String message) {
        sink.respond(status, jsonHeaders(cors), Json.detail(message));
        return NO_CONNECTION;
    }

    private WatchConnection unavailable(WatchSink sink, Map<String, String> cors, String message) {
        sink.respond(200, streamHeaders(cors), unavailableBody(message));
        return NO_CONNECTION;
    }

    private static Map<String, String> jsonHeaders(Map<String, String> cors) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.putAll(cors);
        return headers;
    }

    /**
     * Returns the headers of a stream: never cached, never buffered by proxies such as nginx,
     * and no {@code Connection} header, which HTTP/2 forbids.
     */
    static Map<String, String> streamHeaders(Map<String, String> cors) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/event-stream; charset=utf-8");
        headers.put("Cache-Control", "no-store");
        headers.put("X-Accel-Buffering", "no");
        headers.putAll(cors);
        return headers;
    }

    private byte[] unavailableBody(String detail) {
        var frame = Frames.unavailable(settings.retryMillis(), detail).bytes();
        byte[] bytes = new byte[frame.remaining()];
        frame.duplicate().get(bytes);
        return bytes;
    }

    /** Runs a watch's writer on the writer pool; runs it in place once the pool is shut. */
    void writeLater(Runnable flush) {
        try {
            writers.execute(flush);
        } catch (RejectedExecutionException e) {
            flush.run();
        }
    }

    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    Store store() {
        return config.store();
    }

    ObjectMapper mapper() {
        return config.mapper();
    }

    WatchMetrics metrics() {
        return config.metrics();
    }

    int rendererCount() {
        return renderers.size();
    }

    Renderer renderer(int index) {
        return renderers.get(index);
    }

    int maxEventBytes() {
        return settings.maxEventBytes();
    }

    long retryMillis() {
        return settings.retryMillis();
    }

    int historyLimit() {
        return config.historyLimit();
    }

    long historyMaxAgeNanos() {
        return config.historyMaxAgeNanos();
    }

    long hubIdleNanos() {
        return config.hubIdleNanos();
    }
}
