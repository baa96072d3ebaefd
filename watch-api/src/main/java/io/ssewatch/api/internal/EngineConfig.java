package io.ssewatch.api.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssewatch.api.CorsPolicy;
import io.ssewatch.api.Store;
import io.ssewatch.api.WatchAuthorizer;
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
 * @param authorizer the host's authorization hook
 * @param settings per-watch limits and intervals
 * @param historyLimit how many recent changes each hub keeps for resume
 * @param historyMaxAgeNanos how long each hub keeps a change for resume
 * @param hubIdleNanos how long a hub without watches keeps following the store
 * @param lifetimeNanos the base maximum lifetime of a stream
 * @param lifetimeJitter the fraction by which each stream's lifetime is shortened at random
 * @param maxWatches the maximum number of open streams in total
 * @param maxWatchesPerPrincipal the maximum number of open streams of one principal
 * @param cors the cross-origin policy, or {@code null} when cross-origin access is off
 */
public record EngineConfig(
        Store store, List<WatchRoute> routes, ObjectMapper mapper, WatchMetrics metrics,
        WatchAuthorizer authorizer, WatchSettings settings, int historyLimit,
        long historyMaxAgeNanos, long hubIdleNanos, long lifetimeNanos, double lifetimeJitter,
        int maxWatches, int maxWatchesPerPrincipal, CorsPolicy cors) {
}
