package io.ssewatch.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates the daemon thread of one watch client and remembers it, so that
 * {@link WatchClient#close()} can tell whether it runs on that thread and can wait for it to
 * end.
 */
final class LoopThreadFactory implements ThreadFactory {

    private static final AtomicInteger NUMBERS = new AtomicInteger();

    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, "sse-watch-client-" + NUMBERS.incrementAndGet());
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
    }

    boolean owns(Thread thread) {
        return threads.contains(thread);
    }

    /** Waits until every thread created has ended, or until {@code deadlineNanos}. */
    void join(long deadlineNanos) throws InterruptedException {
        for (Thread thread : threads) {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining > 0) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
            }
        }
    }
}
