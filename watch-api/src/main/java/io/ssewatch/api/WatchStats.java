package io.ssewatch.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link WatchMetrics} that keeps running totals in memory, for a statistics endpoint or
 * for tests. Thread-safe; every counter is read independently.
 */
public final class WatchStats implements WatchMetrics {

    private final AtomicLong hubs = new AtomicLong();
    private final AtomicLong openWatches = new AtomicLong();
    private final AtomicLong watchesOpened = new AtomicLong();
    private final AtomicLong eventsSent = new AtomicLong();
    private final AtomicLong watchesRejected = new AtomicLong();
    private final AtomicLong eventsCoalesced = new AtomicLong();
    private final AtomicLong slowConsumersClosed = new AtomicLong();

    @Override
    public void hubStarted(String collection) {
        hubs.incrementAndGet();
    }

    @Override
    public void hubStopped(String collection) {
        hubs.decrementAndGet();
    }

    @Override
    public void watchOpened(String collection) {
        openWatches.incrementAndGet();
        watchesOpened.incrementAndGet();
    }

    @Override
    public void watchClosed(String collection) {
        openWatches.decrementAndGet();
    }

    @Override
    public void eventsSent(String collection, int count) {
        eventsSent.addAndGet(count);
    }

    @Override
    public void watchRejected(String collection, String reason) {
        watchesRejected.incrementAndGet();
    }

    @Override
    public void eventsCoalesced(String collection, int count) {
        eventsCoalesced.addAndGet(count);
    }

    @Override
    public void slowConsumerClosed(String collection) {
        slowConsumersClosed.incrementAndGet();
    }

    /** Returns the number of hubs following the store now. */
    public long hubs() {
        return hubs.get();
    }

    /** Returns the number of streams open now. */
    public long openWatches() {
        return openWatches.get();
    }

    /** Returns the number of streams opened since start. */
    public long watchesOpened() {
        return watchesOpened.get();
    }

    /** Returns how many frames were written to clients since start. */
    public long eventsSent() {
        return eventsSent.get();
    }

    /** Returns how many watches were refused because a watch limit was reached. */
    public long watchesRejected() {
        return watchesRejected.get();
    }

    /** Returns how many pending events were merged away because their watch fell behind. */
    public long eventsCoalesced() {
        return eventsCoalesced.get();
    }

    /** Returns how many streams were closed because their client did not keep up. */
    public long slowConsumersClosed() {
        return slowConsumersClosed.get();
    }

    /** Returns every counter by name, in a fixed order, for a JSON endpoint. */
    public Map<String, Long> toMap() {
        Map<String, Long> map = new LinkedHashMap<>();
        map.put("hubs", hubs());
        map.put("open_watches", openWatches());
        map.put("watches_opened", watchesOpened());
        map.put("watches_rejected", watchesRejected());
        map.put("events_sent", eventsSent());
        map.put("events_coalesced", eventsCoalesced());
        map.put("slow_consumers_closed", slowConsumersClosed());
        return map;
    }

    @Override
    public String toString() {
        return "WatchStats" + toMap();
    }
}
