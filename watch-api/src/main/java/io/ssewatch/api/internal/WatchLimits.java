package io.ssewatch.api.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts open watches in total and per principal, and refuses those over the limits. */
final class WatchLimits {

    private final int maxTotal;
    private final int maxPerPrincipal;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perPrincipal = new ConcurrentHashMap<>();

    WatchLimits(int maxTotal, int maxPerPrincipal) {
        this.maxTotal = maxTotal;
        this.maxPerPrincipal = maxPerPrincipal;
    }

    /** Reserves a place; returns {@code null} on success, or why the watch is refused. */
    String reserve(String principal) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return "the server is at its limit of " + maxTotal + " watches";
        }
        AtomicInteger count = perPrincipal.computeIfAbsent(principal, p -> new AtomicInteger());
        if (count.incrementAndGet() > maxPerPrincipal) {
            count.decrementAndGet();
            total.decrementAndGet();
            return "principal " + principal + " is at its limit of " + maxPerPrincipal + " watches";
        }
        return null;
    }

    /** Gives back a place taken by {@link #reserve}. */
    void release(String principal) {
        total.decrementAndGet();
        perPrincipal.computeIfPresent(principal, (p, count) ->
                count.decrementAndGet() == 0 ? null : count);
    }
}
