package io.ssewatch.client;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread of a watch client: a single-thread scheduler that runs the engine's tasks
 * and timers and, unless the builder got an executor, the listener calls.
 *
 * <p>Tasks run in submission order, and a timer runs once its delay has passed. An exception
 * from a task is logged at ERROR, because the scheduler would otherwise keep it in a future
 * that no code reads. After {@link #shutdown()}, queued tasks still run, pending timers are
 * dropped, and new tasks are rejected.
 */
final class ClientLoop implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(WatchClient.class);

    private final String target;
    private final LoopThreadFactory threads = new LoopThreadFactory();
    private final ScheduledThreadPoolExecutor scheduler =
            new ScheduledThreadPoolExecutor(1, threads);

    ClientLoop(String target) {
        this.target = target;
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Queues a task.
     *
     * @throws RejectedExecutionException after shutdown
     */
    @Override
    public void execute(Runnable task) {
        scheduler.execute(() -> runLogged(task));
    }

    /** Queues a task; returns false when the loop has shut down. */
    boolean post(Runnable task) {
        try {
            execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Runs a task after a delay; returns null when the loop has shut down. */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        try {
            return scheduler.schedule(() -> runLogged(task), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    boolean isLoopThread() {
        return threads.owns(Thread.currentThread());
    }

    void shutdown() {
        scheduler.shutdown();
    }

    /**
     * Waits for the loop thread to end after {@link #shutdown()}. A task that is still running
     * after {@code timeout}, such as a listener call that blocks, is interrupted, and the wait
     * goes on for up to {@code timeout} again.
     */
    void awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!scheduler.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warn("Watch of {}: a listener call still runs {} ms after close();"
                        + " interrupting it", target, timeout.toMillis());
                scheduler.shutdownNow();
                scheduler.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
                deadline = System.nanoTime() + timeout.toNanos();
            }
            // The pool terminates just before its thread ends, so wait for the thread too.
            threads.join(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("Watch of {}: unexpected failure on the client thread", target, e);
        }
    }
}
