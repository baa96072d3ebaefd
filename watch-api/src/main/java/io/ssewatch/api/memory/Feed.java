package io.ssewatch.api.memory;

import io.ssewatch.api.ChangeEvent;
import io.ssewatch.api.ChangeFeed;
import io.ssewatch.api.ChangeListener;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link InMemoryStore#follow} subscription: a cursor into a collection's log and a pump
 * that delivers what lies after it.
 *
 * <p>Writers only {@link #signal()}; the pump runs on the store's executor, at most one run at
 * a time per feed, and reads the log under the store lock in batches. A listener that
 * throws ends the feed with {@code onFailure}.
 */
final class Feed implements ChangeFeed, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Feed.class);
    private static final int BATCH = 256;

    final String collection;
    private final InMemoryStore store;
    private final ChangeListener listener;
    private final Executor executor;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean signalled = new AtomicBoolean();
    private volatile boolean closed;
    private long cursor;

    Feed(InMemoryStore store, String collection, long after, ChangeListener listener,
            Executor executor) {
        this.store = store;
        this.collection = collection;
        this.cursor = after;
        this.listener = listener;
        this.executor = executor;
    }

    void signal() {
        signalled.set(true);
        if (!closed && scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
            }
        }
    }

    @Override
    public void run() {
        try {
            while (!closed && signalled.getAndSet(false)) {
                drain();
            }
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            scheduled.set(false);
        }
        // A signal that arrived after the loop's last check and before scheduled was cleared
        // would otherwise be lost.
        if (signalled.get() && !closed) {
            signal();
        }
    }

    private void drain() {
        while (!closed) {
            List<List<ChangeEvent>> batch = store.transactionsAfter(collection, cursor, BATCH);
            if (batch.isEmpty()) {
                return;
            }
            for (List<ChangeEvent> transaction : batch) {
                if (closed) {
                    return;
                }
                listener.onTransaction(transaction);
                cursor = InMemoryStore.toLong(transaction.get(transaction.size() - 1).revision());
            }
        }
    }

    void fail(Throwable error) {
        if (closed) {
            return;
        }
        close();
        try {
            listener.onFailure(error);
        } catch (RuntimeException e) {
            LOG.warn("Change listener of {} failed in onFailure", collection, e);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            store.unregister(this);
        }
    }

    @Override
    public String toString() {
        return "Feed{" + collection + ", cursor=" + cursor + (closed ? ", closed" : "") + "}";
    }
}
