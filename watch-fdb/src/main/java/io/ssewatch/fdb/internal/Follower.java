package io.ssewatch.fdb.internal;

import com.apple.foundationdb.KeyValue;
import com.apple.foundationdb.StreamingMode;
import com.apple.foundationdb.Transaction;
import io.ssewatch.api.ChangeEvent;
import io.ssewatch.api.HistoryExpiredException;
import io.ssewatch.api.Revision;
import io.ssewatch.api.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch loop of one collection in one store: every {@link Feed} of the collection shares
 * it, so the number of FoundationDB watches and log reads does not grow with the feeds.
 *
 * <p><b>Loop.</b> An iteration is one read-only transaction that reads the trim marker and
 * the log after the lowest feed cursor, arms a watch on the collection's head key, and
 * commits, which registers the watch. The watch compares against the head value at the
 * transaction's read version, and every write bumps the head with an atomic ADD, so any
 * commit after the log read fires the watch and none is missed. When the read reached the
 * end of the log, each feed's cursor moves to the snapshot revision of the read version,
 * because every change at or below it has been read. Then the loop waits for the watch or
 * for the watch timeout, whichever comes first, and iterates again. A read cut off by its row
 * limit iterates again at once without waiting.
 *
 * <p><b>Failures.</b> A failed iteration or watch (for example 1007 transaction_too_old,
 * 1009 future_version, 1021 commit_unknown_result, 1025 transaction_cancelled) is logged once
 * per error code and retried after an exponential backoff. 1032 too_many_watches makes the
 * loop poll at the poll interval until a watch can be set again. After failing without a
 * break for the feed failure timeout, the loop ends every feed with a
 * {@link StoreUnavailableException}. A collection that gets no permit from the store's watch
 * budget is polled.
 *
 * <p><b>Concurrency.</b> At most one iteration runs at a time, on the store's loop threads;
 * state is guarded by {@code this}. Feeds receive transactions through their own queues, so
 * a slow listener never blocks the loop.
 */
public final class Follower {

    private static final Logger LOG = LoggerFactory.getLogger(Follower.class);

    private final StoreContext ctx;
    private final String collection;
    private final Semaphore watchBudget;
    private final Consumer<Follower> onStopped;
    private final Backoff backoff;
    private final FailureLog failures;
    private final List<Feed> feeds = new ArrayList<>();
    private boolean running;
    private boolean wakeRequested;
    private boolean stopped;
    private boolean holdsPermit;
    private int readRows;
    private CompletableFuture<Void> watch;
    private ScheduledFuture<?> timer;

    /**
     * Creates a follower; it starts with its first feed.
     *
     * @param onStopped runs when the follower stops (when its last feed leaves, or on
     *     {@link #failAll}), so the store can drop it; may run more than once
     */
    public Follower(StoreContext ctx, String collection, Semaphore watchBudget,
            Consumer<Follower> onStopped) {
        this.ctx = ctx;
        this.collection = collection;
        this.watchBudget = watchBudget;
        this.onStopped = onStopped;
        this.backoff = new Backoff(ctx.config().backoffInitial(), ctx.config().backoffMax(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.failures = new FailureLog(LOG, "follower of " + collection);
        this.readRows = ctx.config().logReadRows();
    }

    /**
     * Adds a feed and wakes the loop so that it reads from the feed's cursor.
     *
     * @return false when the follower has stopped; the caller then needs a new one
     */
    public synchronized boolean add(Feed feed) {
        if (stopped) {
            return false;
        }
        feeds.add(feed);
        feed.attach(this);
        wake();
        return true;
    }

    /** Removes a feed; the last one to leave stops the loop. */
    void remove(Feed feed) {
        synchronized (this) {
            if (!feeds.remove(feed) || !feeds.isEmpty() || stopped) {
                return;
            }
            stop();
        }
        onStopped.accept(this);
    }

    /** Ends every feed with {@code error} and stops the loop. */
    public void failAll(Throwable error) {
        List<Feed> ended;
        synchronized (this) {
            ended = new ArrayList<>(feeds);
            feeds.clear();
            if (!stopped) {
                stop();
            }
        }
        ended.forEach(feed -> feed.fail(error));
        onStopped.accept(this);
    }

    /** Returns whether the loop currently holds a watch permit; for tests and toString. */
    public synchronized boolean holdsWatchPermit() {
        return holdsPermit;
    }

    private void stop() {
        stopped = true;
        cancelWaits();
        if (holdsPermit) {
            holdsPermit = false;
            watchBudget.release();
        }
    }

    /** Starts an iteration now, or right after the running one. Caller holds the lock. */
    private void wake() {
        if (stopped) {
            return;
        }
        if (running) {
            wakeRequested = true;
            return;
        }
        cancelWaits();
        running = true;
        ctx.loops().execute(this::iterate);
    }

    private void cancelWaits() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (watch != null) {
            CompletableFuture<Void> armed = watch;
            watch = null;
            armed.cancel(true);
        }
    }

    private void iterate() {
        Revision from;
        boolean arm;
        synchronized (this) {
            wakeRequested = false;
            if (stopped || feeds.isEmpty()) {
                running = false;
                return;
            }
            from = lowestCursor();
            if (!holdsPermit) {
                holdsPermit = watchBudget.tryAcquire();
            }
            arm = holdsPermit;
        }
        Transaction tr;
        CompletableFuture<Void> newWatch = null;
        try {
            tr = ctx.db().createTransaction();
        } catch (RuntimeException e) {
            iterationFailed(e, null);
            return;
        }
        try {
            CompletableFuture<Long> readVersion = tr.getReadVersion();
            CompletableFuture<byte[]> marker = tr.get(ctx.keys().trimMarkerKey(collection));
            CompletableFuture<List<KeyValue>> rows = tr.getRange(
                    ctx.keys().logKeyAfter(collection, Revisions.bytes(from)),
                    ctx.keys().logRange(collection).end, readRows, false, StreamingMode.WANT_ALL)
                    .asList();
            if (arm) {
                newWatch = tr.watch(ctx.keys().headKey(collection));
            }
            CompletableFuture<Void> armed = newWatch;
            CompletableFuture.allOf(readVersion, marker, rows)
                    .thenCompose(ignored -> tr.commit())
                    .whenCompleteAsync((ignored, error) -> {
                        // NOTE: relies on a committed watch outliving its closed transaction,
                        // as fdb-java's own Database.run usage does; not yet run on a cluster.
                        tr.close();
                        if (error != null) {
                            iterationFailed(error, armed);
                        } else {
                            onRead(from, readVersion.join(), marker.join(), rows.join(), armed);
                        }
                    }, ctx.loops());
        } catch (RuntimeException e) {
            tr.close();
            iterationFailed(e, newWatch);
        }
    }

    private void onRead(Revision from, long readVersion, byte[] marker, List<KeyValue> rows,
            CompletableFuture<Void> armed) {
        boolean cutOff = rows.size() >= readRows;
        List<List<ChangeEvent>> transactions;
        try {
            transactions = ctx.decoder().decode(collection, rows, cutOff);
        } catch (RuntimeException e) {
            LOG.error("Follower of {} cannot decode its change log; ending its feeds",
                    collection, e);
            cancel(armed);
            failAll(new IllegalStateException("the change log of " + collection
                    + " cannot be decoded", e));
            return;
        }
        if (cutOff && transactions.isEmpty()) {
            // One transaction has more rows than the limit: read again with room for it.
            readRows *= 2;
            cancel(armed);
            continueAfter(Duration.ZERO);
            return;
        }
        readRows = ctx.config().logReadRows();
        Revision position = cutOff ? lastRevision(transactions)
                : ctx.revisions().snapshot(readVersion);
        failures.succeeded(System.nanoTime());
        backoff.reset();
        distribute(from, marker == null ? null : ctx.revisions().of(marker), transactions,
                position);
        synchronized (this) {
            if (stopped) {
                running = false;
                cancel(armed);
                return;
            }
            if (cutOff || wakeRequested || armed == null) {
                cancel(armed);
                continueLocked(cutOff || wakeRequested ? Duration.ZERO
                        : ctx.config().pollInterval());
                return;
            }
            running = false;
            watch = armed;
            armed.whenCompleteAsync((ignored, error) -> watchDone(armed, error), ctx.loops());
            timer = ctx.scheduler().schedule(() -> watchTimedOut(armed),
                    ctx.config().watchTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Hands each feed the changes after its cursor and moves the cursor to the position. */
    private void distribute(Revision from, Revision marker, List<List<ChangeEvent>> transactions,
            Revision position) {
        List<Feed> expired = new ArrayList<>();
        List<Feed> overflowed = new ArrayList<>();
        synchronized (this) {
            for (Feed feed : feeds) {
                if (feed.cursor.compareTo(from) < 0) {
                    // The feed joined with an older cursor after this read began.
                    wakeRequested = true;
                } else if (marker != null && feed.cursor.compareTo(marker) < 0) {
                    expired.add(feed);
                } else if (!deliver(feed, transactions, position)) {
                    overflowed.add(feed);
                }
            }
        }
        for (Feed feed : expired) {
            feed.fail(new HistoryExpiredException("the changes of " + collection + " after "
                    + feed.cursor.token() + " are no longer kept (the log was trimmed through "
                    + marker.token() + "); read a new snapshot"));
        }
        overflowed.forEach(feed -> feed.fail(feed.overflowError()));
    }

    /** Enqueues the changes after the feed's cursor; returns false when its queue is full. */
    private static boolean deliver(Feed feed, List<List<ChangeEvent>> transactions,
            Revision position) {
        for (List<ChangeEvent> transaction : transactions) {
            List<ChangeEvent> after = changesAfter(transaction, feed.cursor);
            if (!after.isEmpty() && !feed.enqueue(after)) {
                return false;
            }
        }
        if (position.isAfter(feed.cursor)) {
            feed.cursor = position;
        }
        return true;
    }

    private static List<ChangeEvent> changesAfter(List<ChangeEvent> transaction, Revision cursor) {
        if (transaction.get(0).revision().isAfter(cursor)) {
            return transaction;
        }
        List<ChangeEvent> after = new ArrayList<>();
        for (ChangeEvent change : transaction) {
            if (change.revision().isAfter(cursor)) {
                after.add(change);
            }
        }
        return after;
    }

    private void watchDone(CompletableFuture<Void> armed, Throwable error) {
        synchronized (this) {
            if (armed != watch || stopped) {
                return;
            }
            watch = null;
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            running = true;
        }
        if (error == null) {
            iterate();
            return;
        }
        failures.failed(error, System.nanoTime());
        continueAfter(ErrorCodes.codeOf(error) == ErrorCodes.TOO_MANY_WATCHES
                ? ctx.config().pollInterval() : backoff.nextDelay());
    }

    private void watchTimedOut(CompletableFuture<Void> armed) {
        synchronized (this) {
            if (armed != watch || stopped) {
                return;
            }
            timer = null;
            watch = null;
            armed.cancel(true);
            if (running) {
                return;
            }
            running = true;
        }
        ctx.loops().execute(this::iterate);
    }

    private void iterationFailed(Throwable error, CompletableFuture<Void> armed) {
        cancel(armed);
        long now = System.nanoTime();
        failures.failed(error, now);
        if (failures.failingForNanos(now) > ctx.config().feedFailureTimeout().toNanos()) {
            synchronized (this) {
                running = false;
            }
            LOG.error("Follower of {} has failed for more than {}; ending its feeds",
                    collection, ctx.config().feedFailureTimeout());
            failAll(new StoreUnavailableException("reading the changes of " + collection
                    + " has failed for more than " + ctx.config().feedFailureTimeout() + ": "
                    + ErrorCodes.describe(error), ErrorCodes.unwrap(error)));
            return;
        }
        continueAfter(backoff.nextDelay());
    }

    private void continueAfter(Duration delay) {
        synchronized (this) {
            continueLocked(delay);
        }
    }

    /** Schedules the next iteration while one is marked running. Caller holds the lock. */
    private void continueLocked(Duration delay) {
        if (stopped) {
            running = false;
            return;
        }
        if (delay.isZero()) {
            ctx.loops().execute(this::iterate);
            return;
        }
        running = false;
        timer = ctx.scheduler().schedule(this::timerDue, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private synchronized void timerDue() {
        timer = null;
        wake();
    }

    private Revision lowestCursor() {
        Revision lowest = feeds.get(0).cursor;
        for (Feed feed : feeds) {
            if (feed.cursor.compareTo(lowest) < 0) {
                lowest = feed.cursor;
            }
        }
        return lowest;
    }

    private static Revision lastRevision(List<List<ChangeEvent>> transactions) {
        List<ChangeEvent> last = transactions.get(transactions.size() - 1);
        return last.get(last.size() - 1).revision();
    }

    private static void cancel(CompletableFuture<Void> armed) {
        if (armed != null) {
            armed.cancel(true);
        }
    }

    @Override
    public synchronized String toString() {
        return "Follower{" + collection + ", feeds=" + feeds.size()
                + (watch != null ? ", watching" : "") + (stopped ? ", stopped" : "") + "}";
    }
}
