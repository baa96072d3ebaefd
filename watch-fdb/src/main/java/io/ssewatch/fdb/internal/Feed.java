package io.ssewatch.fdb.internal;

import io.ssewatch.api.ChangeEvent;
import io.ssewatch.api.ChangeFeed;
import io.ssewatch.api.ChangeListener;
import io.ssewatch.api.Revision;
import io.ssewatch.api.StoreUnavailableException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Store.follow} subscription: a cursor into the collection's log, kept by its
 * {@link Follower}, and a queue of transactions that a delivery thread hands to the listener.
 *
 * <p>The follower enqueues transactions in revision order. At most one delivery runs at a
 * time, so listener calls never overlap; they run on the store's delivery threads. A failure
 * is delivered after the transactions queued before it, and nothing after it. A listener
 * that throws ends the feed with {@code onFailure} carrying that exception. A feed whose
 * queue contains more than the configured number of transactions ends with a
 * {@link StoreUnavailableException}, so a stuck listener cannot exhaust memory.
 */
public final class Feed implements ChangeFeed {

    private static final Logger LOG = LoggerFactory.getLogger(Feed.class);

    private final String collection;
    private final ChangeListener listener;
    private final Executor delivery;
    private final int maxPending;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean failed;
    private volatile Follower follower;

    /** The position after which changes are still to be enqueued; guarded by the follower. */
    Revision cursor;

    public Feed(String collection, Revision after, ChangeListener listener, Executor delivery,
            int maxPending) {
        this.collection = collection;
        this.cursor = after;
        this.listener = listener;
        this.delivery = delivery;
        this.maxPending = maxPending;
    }

    void attach(Follower follower) {
        this.follower = follower;
    }

    /** Returns the collection this feed follows. */
    public String collection() {
        return collection;
    }

    /**
     * Queues one transaction's changes for delivery; called by the follower, in order.
     *
     * @return false when the queue is full; the caller then ends the feed with
     *     {@link #overflowError()}, outside its lock
     */
    boolean enqueue(List<ChangeEvent> changes) {
        if (failed || closed) {
            return true;
        }
        if (pending.incrementAndGet() > maxPending) {
            return false;
        }
        queue.add(changes);
        schedule();
        return true;
    }

    /** Returns the error that ends a feed whose queue is full. */
    StoreUnavailableException overflowError() {
        return new StoreUnavailableException("the feed of " + collection + " has " + maxPending
                + " undelivered transactions (expected: a listener that keeps up; follow"
                + " again from the last revision it received)");
    }

    /** Ends the feed: the listener gets {@code onFailure} after what is already queued. */
    public void fail(Throwable error) {
        if (failed || closed) {
            return;
        }
        failed = true;
        queue.add(new Failure(error));
        schedule();
        Follower current = follower;
        if (current != null) {
            current.remove(this);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        Follower current = follower;
        if (current != null) {
            current.remove(this);
        }
    }

    boolean isEnded() {
        return closed || failed;
    }

    private void schedule() {
        if (draining.compareAndSet(false, true)) {
            try {
                delivery.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false);
            }
        }
    }

    private void drain() {
        try {
            Object item;
            while (!closed && (item = queue.poll()) != null) {
                if (item instanceof Failure) {
                    deliverFailure(((Failure) item).error);
                    closed = true;
                    queue.clear();
                    return;
                }
                pending.decrementAndGet();
                @SuppressWarnings("unchecked")
                List<ChangeEvent> changes = (List<ChangeEvent>) item;
                deliver(changes);
            }
        } finally {
            draining.set(false);
        }
        // An item queued after the loop's last poll and before draining was cleared would
        // otherwise wait for the next enqueue.
        if (!closed && !queue.isEmpty()) {
            schedule();
        }
    }

    private void deliver(List<ChangeEvent> changes) {
        try {
            listener.onTransaction(changes);
        } catch (RuntimeException e) {
            LOG.warn("Change listener of {} failed in onTransaction; ending its feed",
                    collection, e);
            queue.clear();
            failed = true;
            queue.add(new Failure(e));
            Follower current = follower;
            if (current != null) {
                current.remove(this);
            }
        }
    }

    private void deliverFailure(Throwable error) {
        try {
            listener.onFailure(error);
        } catch (RuntimeException e) {
            LOG.warn("Change listener of {} failed in onFailure", collection, e);
        }
    }

    @Override
    public String toString() {
        return "Feed{" + collection + ", pending=" + pending.get()
                + (failed ? ", failed" : "") + (closed ? ", closed" : "") + "}";
    }

    private record Failure(Throwable error) {
    }
}
