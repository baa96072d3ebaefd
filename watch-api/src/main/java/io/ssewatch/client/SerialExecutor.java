package io.ssewatch.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on an underlying executor, so that each
 * task happens-before the next even when the executor has many threads.
 */
final class SerialExecutor implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(WatchClient.class);

    private final Executor delegate;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    /**
     * Queues a task.
     *
     * @throws RejectedExecutionException when the underlying executor rejects the task that
     *     runs the queue; the task stays queued and runs with the next accepted one
     */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (!scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            delegate.execute(this::drain);
        } catch (RuntimeException e) {
            scheduled.set(false);
            throw e;
        }
    }

    private void drain() {
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                runSafely(task);
            }
        } finally {
            scheduled.set(false);
        }
        // A task added after the last poll but before the flag was cleared found the flag
        // set and did not schedule a run, so check again.
        if (!tasks.isEmpty()) {
            try {
                schedule();
            } catch (RejectedExecutionException e) {
                LOG.debug("Delivery executor rejected a task after shutdown", e);
            }
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            // Listener exceptions are caught before this, so this is a bug in the client.
            LOG.error("Watch delivery task failed unexpectedly; later events still run", t);
        }
    }
}
