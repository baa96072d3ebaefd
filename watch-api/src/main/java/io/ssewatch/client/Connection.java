package io.ssewatch.client;

import io.ssewatch.client.internal.SseParser;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;

/**
 * One connection attempt of a watch: its request, its response body and its parser.
 *
 * <p>Only the engine's loop thread reads and writes the fields, except
 * {@link #lastActivityNanos}, which the HttpClient's threads also write.
 */
final class Connection {

    final int attempt;
    SseParser parser;
    CompletableFuture<?> response;
    Flow.Subscription subscription;
    ScheduledFuture<?> idleCheck;
    /** Whether the stream delivered an event, an id or a comment, which proves it works. */
    boolean healthy;
    private boolean cancelled;
    private volatile long lastActivityNanos = System.nanoTime();

    Connection(int attempt) {
        this.attempt = attempt;
    }

    /** Records that the connection made progress: headers or bytes arrived, or were requested. */
    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - lastActivityNanos;
    }

    /** Stores the body's subscription, or cancels it when the connection was cancelled. */
    void attach(Flow.Subscription subscription) {
        if (cancelled) {
            subscription.cancel();
        } else {
            this.subscription = subscription;
        }
    }

    boolean isCancelled() {
        return cancelled;
    }

    /**
     * Cancels the idle check, the request and the body, which makes the HttpClient close an
     * HTTP/1.1 connection (an HTTP/2 stream is reset instead). Idempotent.
     */
    void cancel() {
        cancelled = true;
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        if (response != null) {
            response.cancel(true);
        }
        if (subscription != null) {
            subscription.cancel();
        }
    }
}
