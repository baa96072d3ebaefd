package io.ssewatch.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssewatch.api.ChangeEvent;
import io.ssewatch.api.ChangeType;
import io.ssewatch.api.PathParams;
import io.ssewatch.api.Revision;
import io.ssewatch.api.WatchAuthorizer;
import io.ssewatch.api.WatchDecision;
import io.ssewatch.api.WatchMetrics;
import io.ssewatch.api.WatchRoute;
import io.ssewatch.api.adapter.WatchRequest;
import io.ssewatch.api.adapter.WatchSink;
import io.ssewatch.api.memory.InMemoryStore;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A hub of one list collection with watches attached directly, without HTTP, for the
 * benchmarks. Changes go straight to {@link Hub#onTransaction}, as the store's feed thread
 * would deliver them; the hub's own feed from the empty in-memory store stays idle.
 */
final class BenchmarkHub implements AutoCloseable {

    static final String COLLECTION = "items";
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    final Engine engine;
    final Hub hub;
    private final InMemoryStore store = new InMemoryStore();
    private final WatchRoute route = WatchRoute.list("/items/").collection(COLLECTION).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final ObjectNode body;
    private final WatchSettings settings;
    private long revision;

    /**
     * Starts a hub.
     *
     * @param bodyBytes the size of each resource's JSON
     * @param bufferEvents the soft bound of each watch's buffer, past which changes coalesce
     */
    BenchmarkHub(int bodyBytes, int bufferEvents) {
        // Pings, write timeouts and re-authorization an hour away, so that the timer does not
        // disturb a measurement.
        settings = new WatchSettings(HOUR, 3_000, HOUR, bufferEvents,
                64L * 1024 * 1024, 256L * 1024 * 1024, 64 * 1024, HOUR, 1024 * 1024);
        EngineConfig config = new EngineConfig(store, List.of(route), mapper, WatchMetrics.NONE,
                WatchAuthorizer.ALLOW_ALL, settings, 10_000, HOUR, HOUR, HOUR, 0.0,
                Integer.MAX_VALUE, Integer.MAX_VALUE, null);
        engine = new Engine(config);
        hub = new Hub(engine, COLLECTION);
        hub.acquire();
        hub.load();
        hub.ready().join();
        hub.release();
        body = mapper.createObjectNode().put("id", "r0").put("padding", "");
        body.put("padding", "x".repeat(Math.max(0, bodyBytes - body.toString().length())));
    }

    /** Opens a watch of the whole list that writes to {@code sink}. */
    Watch open(WatchSink sink) {
        hub.acquire();
        WatchRequest request = new WatchRequest("GET", "/items/", "watch=true", name -> null,
                null);
        Watch watch = new Watch(hub, route, new PathParams(Map.of()), request,
                WatchDecision.allow("benchmark"), 0, sink, settings, HOUR, Map.of());
        Hub.Opening opening = hub.register(watch, null);
        watch.begin(Map.of(), Openings.initialFrames(engine, watch, opening));
        return watch;
    }

    /**
     * Applies and dispatches one update of the resource {@code id}. The hub takes the state
     * before from its own copy, so the event's {@code before} only has to be non-null.
     */
    void update(String id) {
        revision++;
        JsonNode after = body.deepCopy().put("id", id).put("revision", revision);
        byte[] bytes = ByteBuffer.allocate(Long.BYTES).putLong(Long.MAX_VALUE / 2 + revision)
                .array();
        Revision at = Revision.of(bytes, revision + "-benchmark");
        hub.onTransaction(List.of(new ChangeEvent(ChangeType.UPDATED, COLLECTION, id, after,
                after, at)));
    }

    /** Creates the resource {@code id}, so that later updates have a state before them. */
    void create(String id) {
        revision++;
        byte[] bytes = ByteBuffer.allocate(Long.BYTES).putLong(Long.MAX_VALUE / 2 + revision)
                .array();
        hub.onTransaction(List.of(new ChangeEvent(ChangeType.CREATED, COLLECTION, id, null,
                body.deepCopy().put("id", id), Revision.of(bytes, revision + "-benchmark"))));
    }

    @Override
    public void close() {
        engine.close();
        store.close();
    }
}
