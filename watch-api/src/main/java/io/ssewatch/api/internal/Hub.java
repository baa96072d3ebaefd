package io.ssewatch.api.internal;

import io.ssewatch.api.ChangeEvent;
import io.ssewatch.api.ChangeFeed;
import io.ssewatch.api.ChangeListener;
import io.ssewatch.api.Resource;
import io.ssewatch.api.Revision;
import io.ssewatch.api.Snapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared, in-memory state of one collection and the watches that follow it.
 *
 * <p><b>Design.</b> A hub reads its collection from the store once, then follows the store's
 * change feed from that snapshot's revision. It keeps the current state, a bounded history of
 * recent changes for resume, and its watches. A new watch is served from memory: its snapshot
 * (or the history it missed) is taken under the same lock that registers it, so no change can
 * fall between the two.
 *
 * <p><b>Concurrency.</b> {@code lock} guards the state, the history and registration. The
 * feed calls {@link #onTransaction} from one store thread at a time: the hub applies the
 * transaction under the lock, then dispatches it outside the lock, so that registering or
 * snapshotting never waits for fan-out. Each watch remembers the revision it started at and
 * skips changes at or below it, which makes a registration that races with a dispatch neither
 * lose nor repeat a change. Dispatch only queues frames; it never waits for a client.
 *
 * <p><b>Failure.</b> When the feed fails, the hub closes: every watch gets an
 * {@code unavailable} event and reconnects, and the next request builds a new hub from a
 * fresh snapshot.
 */
public final class Hub implements ChangeListener {

    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

    final String collection;
    private final Engine engine;
    private final Object lock = new Object();
    private final CompletableFuture<Hub> ready = new CompletableFuture<>();
    private final Set<Watch> listWatches = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<Watch>> detailWatches = new ConcurrentHashMap<>();
    /** Watches of other collections that end when the resource with this id is deleted. */
    private final Map<String, Set<Watch>> guards = new ConcurrentHashMap<>();

    // Guarded by lock.
    private final TreeMap<String, Entry> state = new TreeMap<>();
    private final ArrayDeque<Change> history = new ArrayDeque<>();
    private Revision revision;
    private Revision historyFloor;
    private int watches;
    private int pendingOpens;
    private boolean closed;
    private ScheduledFuture<?> idleStop;
    private ChangeFeed feed;

    private volatile Revision dispatched;
    private volatile SharedSnapshot sharedSnapshot;

    Hub(Engine engine, String collection) {
        this.engine = engine;
        this.collection = collection;
    }

    // ---- life cycle ----

    /** Reads the snapshot and starts following the store. */
    void load() {
        long started = System.nanoTime();
        engine.store().readSnapshot(collection).whenComplete((snapshot, error) -> {
            if (error != null) {
                fail("loading the snapshot failed", error);
                return;
            }
            try {
                start(snapshot, started);
            } catch (RuntimeException e) {
                fail("starting the change feed failed", e);
            }
        });
    }

    private void start(Snapshot snapshot, long startedNanos) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            for (Resource resource : snapshot.resources()) {
                state.put(resource.id(),
                        new Entry(resource.id(), resource.body(), engine.rendererCount()));
            }
            revision = snapshot.revision();
            historyFloor = revision;
            dispatched = revision;
        }
        ChangeFeed started = engine.store().follow(collection, snapshot.revision(), this);
        synchronized (lock) {
            feed = started;
            if (closed) {
                started.close();
                return;
            }
        }
        LOG.info("Hub {} started at revision {} with {} resources ({} ms)", collection,
                snapshot.revision(), snapshot.resources().size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
        engine.metrics().hubStarted(collection);
        ready.complete(this);
    }

    /** Completes when the hub has its snapshot, or fails when loading failed. */
    CompletableFuture<Hub> ready() {
        return ready;
    }

    /**
     * Reserves a place for a watch that is about to open, so that the hub does not stop in
     * between. Returns false when the hub stopped after it had loaded, and the caller must get
     * a new one. A hub whose load failed still accepts the reservation: the caller then
     * learns of the failure from {@link #ready()}.
     */
    boolean acquire() {
        synchronized (lock) {
            if (closed && !ready.isCompletedExceptionally()) {
                return false;
            }
            pendingOpens++;
            cancelIdleStop();
            return true;
        }
    }

    /** Gives back a reservation that did not become a watch. */
    void release() {
        synchronized (lock) {
            pendingOpens--;
            scheduleIdleStopIfUnused();
        }
    }

    void unregister(Watch watch) {
        boolean removed;
        if (watch.isDetail()) {
            Set<Watch> set = detailWatches.get(watch.detailId);
            removed = set != null && set.remove(watch);
            if (set != null && set.isEmpty()) {
                detailWatches.remove(watch.detailId, set);
            }
        } else {
            removed = listWatches.remove(watch);
        }
        if (!removed) {
            return;
        }
        engine.metrics().watchClosed(collection);
        synchronized (lock) {
            watches--;
            scheduleIdleStopIfUnused();
        }
    }

    private void scheduleIdleStopIfUnused() {
        if (closed || watches > 0 || pendingOpens > 0 || idleStop != null) {
            return;
        }
        idleStop = engine.schedule(this::stopIfUnused, engine.hubIdleNanos());
    }

    private void cancelIdleStop() {
        if (idleStop != null) {
            idleStop.cancel(false);
            idleStop = null;
        }
    }

    private void stopIfUnused() {
        synchronized (lock) {
            idleStop = null;
            if (closed || watches > 0 || pendingOpens > 0) {
                return;
            }
            closed = true;
        }
        engine.removeHub(this);
        closeFeed();
        LOG.info("Hub {} stopped: no watches for {} ms", collection,
                TimeUnit.NANOSECONDS.toMillis(engine.hubIdleNanos()));
        engine.metrics().hubStopped(collection);
    }

    /** Closes the hub at shutdown: every watch ends cleanly and reconnects elsewhere. */
    void shutdown() {
        fail("the server is shutting down", null);
    }

    private void fail(String reason, Throwable error) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            cancelIdleStop();
        }
        engine.removeHub(this);
        closeFeed();
        if (error != null) {
            LOG.warn("Hub {} failed: {}; its watches reconnect", collection, reason, error);
        } else {
            LOG.info("Hub {} closing: {}", collection, reason);
        }
        ready.completeExceptionally(error != null ? error : new IllegalStateException(reason));
        Frame unavailable = Frames.unavailable(engine.retryMillis(), reason);
        forEachWatch(watch -> watch.end(unavailable));
        if (ready.isDone() && !ready.isCompletedExceptionally()) {
            engine.metrics().hubStopped(collection);
        }
    }

    private void closeFeed() {
        ChangeFeed current;
        synchronized (lock) {
            current = feed;
            feed = null;
        }
        if (current != null) {
            current.close();
        }
    }

    // ---- the change feed ----

    @Override
    public void onTransaction(List<ChangeEvent> events) {
        List<Change> changes = new ArrayList<>(events.size());
        long now = System.nanoTime();
        synchronized (lock) {
            if (closed) {
                return;
            }
            for (ChangeEvent event : events) {
                changes.add(apply(event, now));
            }
            trimHistory(now);
        }
        Dispatcher.dispatch(this, changes);
        dispatched = changes.get(changes.size() - 1).revision();
        endGuardedWatches(changes);
    }

    private void endGuardedWatches(List<Change> changes) {
        if (guards.isEmpty()) {
            return;
        }
        for (Change change : changes) {
            Set<Watch> guarded = change.after() == null ? guards.get(change.id()) : null;
            if (guarded != null) {
                guarded.forEach(Watch::parentDeleted);
            }
        }
    }

    /**
     * Makes {@code watch} end when the resource {@code id} of this hub's collection is
     * deleted. Returns false, and guards nothing, when the resource does not exist now.
     */
    boolean guard(String id, Watch watch) {
        synchronized (lock) {
            pendingOpens--;
            if (closed || !state.containsKey(id)) {
                scheduleIdleStopIfUnused();
                return false;
            }
            guards.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(watch);
            watches++;
        }
        watch.onRelease(() -> unguard(id, watch));
        return true;
    }

    private void unguard(String id, Watch watch) {
        Set<Watch> set = guards.get(id);
        if (set == null || !set.remove(watch)) {
            return;
        }
        if (set.isEmpty()) {
            guards.remove(id, set);
        }
        synchronized (lock) {
            watches--;
            scheduleIdleStopIfUnused();
        }
    }

    private Change apply(ChangeEvent event, long now) {
        Entry before = state.get(event.id());
        Entry after = null;
        if (event.after() == null) {
            state.remove(event.id());
        } else {
            after = new Entry(event.id(), event.after(), engine.rendererCount());
            state.put(event.id(), after);
        }
        Change change = new Change(event.id(), before, after, event.revision(), now);
        history.addLast(change);
        revision = event.revision();
        return change;
    }

    @Override
    public void onFailure(Throwable error) {
        fail("the change feed ended", error);
    }

    private void trimHistory(long now) {
        long maxAge = engine.historyMaxAgeNanos();
        while (!history.isEmpty() && (history.size() > engine.historyLimit()
                || now - history.peekFirst().appliedNanos() > maxAge)) {
            historyFloor = history.pollFirst().revision();
        }
    }

    // ---- watches ----

    /** Iterates the registered watches; safe while watches come and go. */
    void forEachWatch(java.util.function.Consumer<Watch> action) {
        listWatches.forEach(action);
        detailWatches.values().forEach(set -> set.forEach(action));
    }

    Set<Watch> listWatches() {
        return listWatches;
    }

    Set<Watch> detailWatches(String id) {
        return detailWatches.get(id);
    }

    /** The result of {@link #register}: what the new watch sends first. */
    record Opening(boolean found, Revision start, List<Entry> snapshot, List<Change> replay) {
    }

    /**
     * Registers a watch and returns, taken under the same lock, what it must send first: the
     * resources in its scope, or the changes after {@code cursor} when the history reaches
     * back that far. For a detail watch whose resource is missing, registers nothing and
     * returns {@code found == false}.
     *
     * @param cursor the client's resume point, or {@code null} for a fresh snapshot
     */
    Opening register(Watch watch, Revision cursor) {
        synchronized (lock) {
            pendingOpens--;
            if (closed) {
                return null;
            }
            if (watch.isDetail() && !watch.inScope(state.get(watch.detailId))) {
                scheduleIdleStopIfUnused();
                return new Opening(false, revision, List.of(), List.of());
            }
            Opening opening = openingFor(watch, cursor);
            watch.startAt(opening.start());
            if (watch.isDetail()) {
                detailWatches.computeIfAbsent(watch.detailId, id -> ConcurrentHashMap.newKeySet())
                        .add(watch);
            } else {
                listWatches.add(watch);
            }
            watches++;
            engine.metrics().watchOpened(collection);
            return opening;
        }
    }

    private Opening openingFor(Watch watch, Revision cursor) {
        if (cursor != null && cursor.isAfter(revision)) {
            // The client saw changes this hub has not applied yet (another process served
            // it); skip up to its cursor.
            return new Opening(true, cursor, null, List.of());
        }
        // NOTE: the history starts when this hub loaded, so a cursor from before that gets a
        // fresh snapshot even where the store's own change log still reaches back to it.
        if (cursor != null && cursor.compareTo(historyFloor) >= 0) {
            List<Change> missed = new ArrayList<>();
            for (java.util.Iterator<Change> it = history.descendingIterator(); it.hasNext(); ) {
                Change change = it.next();
                if (!change.revision().isAfter(cursor)) {
                    break;
                }
                missed.add(change);
            }
            java.util.Collections.reverse(missed);
            return new Opening(true, revision, null, missed);
        }
        List<Entry> visible = new ArrayList<>();
        if (watch.isDetail()) {
            visible.add(state.get(watch.detailId));
        } else {
            for (Entry entry : state.values()) {
                if (watch.inScope(entry)) {
                    visible.add(entry);
                }
            }
        }
        return new Opening(true, revision, visible, List.of());
    }

    /**
     * Returns the snapshot frames of a watch that sees the whole collection, when a watch with
     * the same renderer and order built them at this same revision, or {@code null}.
     *
     * <p>Such a snapshot depends only on the state at {@code revision}, the renderer and the
     * order, and frames are immutable, so a burst of new watches on an unchanged hub, such as
     * clients reconnecting after a restart, sorts and encodes the collection once. The hub
     * keeps only the latest one, which costs up to one snapshot's bytes of heap per hub.
     */
    List<Frame> sharedSnapshot(Revision revision, int renderer, Comparator<Resource> order) {
        SharedSnapshot shared = sharedSnapshot;
        if (shared != null && shared.revision().equals(revision)
                && shared.renderer() == renderer && shared.order() == order) {
            return shared.frames();
        }
        return null;
    }

    /** Keeps the snapshot frames of a watch that sees the whole collection for reuse. */
    void shareSnapshot(Revision revision, int renderer, Comparator<Resource> order,
            List<Frame> frames) {
        sharedSnapshot = new SharedSnapshot(revision, renderer, order, frames);
    }

    /** The encoded snapshot of a whole collection at one revision. */
    private record SharedSnapshot(Revision revision, int renderer, Comparator<Resource> order,
            List<Frame> frames) {
    }

    /** Sorts snapshot entries into the route's list order. */
    static void sort(List<Entry> entries, Comparator<Resource> order) {
        entries.sort((a, b) -> order.compare(a.resource, b.resource));
    }

    Revision dispatched() {
        return dispatched;
    }

    Engine engine() {
        return engine;
    }

    void tick(long nowNanos) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            trimHistory(nowNanos);
        }
        Revision current = dispatched;
        forEachWatch(watch -> watch.tick(nowNanos, current));
    }

    void onCoalesced(int count) {
        engine.metrics().eventsCoalesced(collection, count);
    }

    void onSlowClose() {
        engine.metrics().slowConsumerClosed(collection);
    }

    int size() {
        synchronized (lock) {
            return state.size();
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "Hub{" + collection + ", revision=" + revision + ", resources=" + state.size()
                    + ", watches=" + watches + ", history=" + history.size()
                    + (closed ? ", closed" : "") + "}";
        }
    }
}
