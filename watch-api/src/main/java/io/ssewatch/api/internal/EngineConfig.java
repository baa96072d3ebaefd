package io.ssewatch.api.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssewatch.api.Store;
import io.ssewatch.api.WatchMetrics;
import io.ssewatch.api.WatchRoute;
import java.util.List;

/**
 * Everything an {@link Engine} is built from; assembled by the public builder.
 *
 * @param store the store the hubs follow
 * @param routes the watchable routes, matched in order
 * @param mapper serializes rendered resources
 * @param metrics receives counts
 * @param settings per-watch limits and intervals
 * @param historyLimit how many recent changes each hub keeps for resume
 * @param historyMaxAgeNanos how long each hub keeps a change for resume
 * @param hubIdleNanos how long a hub without watches keeps following the store
 */
public record EngineConfig(
        Store store, List<WatchRoute> routes, ObjectMapper mapper, WatchMetrics metrics,
        WatchSettings settings, int historyLimit, long historyMaxAgeNanos, long hubIdleNanos) {

    /** Creates the per-watch settings; exists so that the public builder can reach them. */
    public static WatchSettings settings(
            long pingNanos, long retryMillis, long writeTimeoutNanos, int bufferEvents,
            long bufferBytes, long maxBufferBytes) {
        return new WatchSettings(pingNanos, retryMillis, writeTimeoutNanos, bufferEvents,
                bufferBytes, maxBufferBytes, 64 * 1024);
    }
}
