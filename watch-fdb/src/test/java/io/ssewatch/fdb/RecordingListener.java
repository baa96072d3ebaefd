package io.ssewatch.fdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssewatch.api.ChangeEvent;
import io.ssewatch.api.ChangeListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A change listener that records every call, for assertions with bounded waits. */
final class RecordingListener implements ChangeListener {

    static final Duration WAIT = Duration.ofSeconds(20);

    private final BlockingQueue<List<ChangeEvent>> transactions = new LinkedBlockingQueue<>();
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean overlapped;

    @Override
    public void onTransaction(List<ChangeEvent> changes) {
        if (active.incrementAndGet() > 1) {
            overlapped = true;
        }
        transactions.add(changes);
        active.decrementAndGet();
    }

    @Override
    public void onFailure(Throwable error) {
        failure.complete(error);
    }

    /** Waits for the next transaction and returns it; fails the test after {@link #WAIT}. */
    List<ChangeEvent> nextTransaction() throws InterruptedException {
        List<ChangeEvent> next = transactions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(next).as("a transaction within %s (failure: %s)", WAIT, failure.getNow(null))
                .isNotNull();
        return next;
    }

    /** Waits for transactions until {@code count} changes arrived; returns them in order. */
    List<ChangeEvent> nextChanges(int count) throws InterruptedException {
        List<ChangeEvent> changes = new ArrayList<>();
        while (changes.size() < count) {
            changes.addAll(nextTransaction());
        }
        return changes;
    }

    /** Waits for {@code onFailure} and returns its error. */
    Throwable awaitFailure() throws Exception {
        return failure.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Returns the failure, or null when none has arrived. */
    Throwable failureNow() {
        return failure.getNow(null);
    }

    /** Asserts that no transaction arrived that has not been taken yet. */
    void assertNoMoreTransactions() {
        assertThat(transactions).as("unexpected transactions").isEmpty();
    }

    boolean overlapped() {
        return overlapped;
    }
}
