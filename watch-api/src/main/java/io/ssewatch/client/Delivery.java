package io.ssewatch.client;

import io.ssewatch.api.ChangeType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies decoded events to the cache and calls the listener, one event at a time, in the
 * order they were submitted.
 *
 * <p>The watch engine submits from its own thread; the tasks run on a {@link SerialExecutor}.
 * Each task first changes the cache and then calls the listener, so a listener always finds
 * the cache with its change applied. After {@link #close()}, queued and new tasks do nothing.
 */
final class Delivery<T> {

    private static final Logger LOG = LoggerFactory.getLogger(WatchClient.class);

    private final SerialExecutor executor;
    private final ResourceCache<T> cache;
    private final WatchListener<T> listener;
    private final String target;
    /** Opened when the cache is first synced, when the watch stops, or on close. */
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile boolean closed;

    Delivery(SerialExecutor executor, ResourceCache<T> cache, WatchListener<T> listener,
            String target) {
        this.executor = executor;
        this.cache = cache;
        this.listener = listener;
        this.target = target;
    }

    /** Replaces the cache with a snapshot and reports it, or its differences after the first. */
    void snapshot(List<CachedResource<T>> resources) {
        submit(() -> applySnapshot(resources));
    }

    void change(ChangeType type, CachedResource<T> resource) {
        submit(() -> applyChange(type, resource));
    }

    /** Removes every cached resource and reports each as deleted. */
    void removeAll() {
        submit(() -> {
            for (CachedResource<T> removed : cache.clear()) {
                call("onDeleted", () -> listener.onDeleted(removed.id(), removed.value()));
            }
        });
    }

    void error(Exception error) {
        submit(() -> call("onError", () -> listener.onError(error)));
    }

    /** Reports the stop, opens {@link #awaitSettled} and then runs {@code afterwards}. */
    void stopped(WatchStoppedException reason, Runnable afterwards) {
        submit(() -> {
            call("onStopped", () -> listener.onStopped(reason));
            settled.countDown();
            afterwards.run();
        });
    }

    /** Stops all delivery: no listener call starts after this returns. */
    void close() {
        closed = true;
        settled.countDown();
    }

    /**
     * Waits until the cache is synced, the watch stopped or the client closed.
     *
     * @return false when the timeout elapsed first
     */
    boolean awaitSettled(Duration timeout) throws InterruptedException {
        return settled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void submit(Runnable task) {
        try {
            executor.execute(() -> {
                if (!closed) {
                    task.run();
                }
            });
        } catch (RejectedExecutionException e) {
            if (!closed) {
                LOG.error("Watch of {}: the delivery executor rejected a task, so the listener"
                        + " misses events; keep the executor running until close()", target, e);
            }
        }
    }

    private void applySnapshot(List<CachedResource<T>> resources) {
        boolean first = !cache.isSynced();
        List<ResourceCache.Change<T>> changes = cache.replaceAll(resources);
        if (first) {
            call("onSnapshot", () -> listener.onSnapshot(cache.copy()));
            settled.countDown();
            return;
        }
        LOG.debug("Watch of {} received a fresh snapshot with {} differences", target,
                changes.size());
        for (ResourceCache.Change<T> change : changes) {
            report(change.type(), change.previous(), change.current());
        }
    }

    private void applyChange(ChangeType type, CachedResource<T> resource) {
        if (type == ChangeType.DELETED) {
            CachedResource<T> removed = cache.remove(resource.id());
            if (removed == null) {
                LOG.debug("Watch of {} ignores the deletion of unknown resource \"{}\"", target,
                        resource.id());
                return;
            }
            report(ChangeType.DELETED, removed, resource);
            return;
        }
        CachedResource<T> previous = cache.put(resource);
        if ((previous == null) != (type == ChangeType.CREATED)) {
            LOG.debug("Watch of {} received {} for {} resource \"{}\"", target,
                    type.eventName(), previous == null ? "unknown" : "existing", resource.id());
        }
        report(previous == null ? ChangeType.CREATED : ChangeType.UPDATED, previous, resource);
    }

    /**
     * Calls the listener for one change. A deletion reports {@code current} when the server
     * sent the last state, and {@code previous} when the deletion was inferred.
     */
    private void report(ChangeType type, CachedResource<T> previous, CachedResource<T> current) {
        switch (type) {
            case CREATED:
                call("onCreated", () -> listener.onCreated(current.id(), current.value()));
                break;
            case UPDATED:
                call("onUpdated", () ->
                        listener.onUpdated(current.id(), previous.value(), current.value()));
                break;
            case DELETED:
                CachedResource<T> last = current != null ? current : previous;
                call("onDeleted", () -> listener.onDeleted(last.id(), last.value()));
                break;
            default:
                throw new IllegalStateException("unknown change type " + type);
        }
    }

    private void call(String method, Runnable call) {
        if (closed) {
            return;
        }
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("Watch of {}: listener {} threw from {}; the cache keeps the change and"
                    + " the watch goes on", target, listener, method, e);
        }
    }
}
