package io.ssewatch.client;

import io.ssewatch.api.ChangeType;
import io.ssewatch.client.internal.SseEvent;
import io.ssewatch.client.internal.SseParser;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection state machine behind a {@link WatchClient}.
 *
 * <p>Concurrency: all state belongs to one loop thread, a single-thread scheduler that the
 * client owns. HttpClient callbacks, timers and {@code close()} only post tasks to it, so the
 * engine takes no locks and never calls into the HttpClient while holding one. The loop
 * parses the stream, decodes JSON and hands events to {@link Delivery} in stream order. It
 * requests the next chunk of the body only after parsing the last one, so a busy loop slows
 * the reading instead of buffering without bound.
 *
 * <p>Failures: each connection is a {@link Connection}; a callback for any connection but
 * the current one is ignored. A connection counts as healthy once it delivers an event, an id
 * or a comment. A failure (no connection, 5xx/408/429, an {@code unavailable} event, invalid
 * data, a stream that broke, ended before becoming healthy, or went quiet for the ping
 * timeout) is reported to the listener and followed by a reconnect after {@link Backoff}'s
 * delay. Any other response that is not a stream stops the watch for good.
 */
final class WatchEngine<T> {

    private static final Logger LOG = LoggerFactory.getLogger(WatchClient.class);
    /** How long close() waits for a listener call on the client's own thread to return. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    enum State { CONNECTING, STREAMING, WAITING, STOPPED, CLOSED }

    private final WatchConfig<T> config;
    private final String target;
    private final long pingTimeoutNanos;
    private final ClientLoop loop;
    private final ResourceCache<T> cache = new ResourceCache<>();
    private final Delivery<T> delivery;
    private final EventDecoder<T> decoder;
    private final Backoff backoff;

    // Written on the loop thread only; volatile where other threads read them.
    private volatile State state = State.CONNECTING;
    private volatile String lastEventId = "";
    private volatile WatchStoppedException stopCause;
    private volatile int failures;
    private volatile boolean closeRequested;
    private Connection current;
    private ScheduledFuture<?> reconnect;
    private long serverRetryMillis = -1;
    private long retryAfterMillis = -1;
    private boolean snapshotReceived;
    private boolean detailWatch;
    private int attempts;

    WatchEngine(WatchConfig<T> config) {
        this.config = config;
        this.target = config.target();
        this.pingTimeoutNanos = config.pingTimeout().toNanos();
        this.loop = new ClientLoop(target);
        Executor deliveryExecutor = config.executor() != null ? config.executor() : loop;
        this.delivery = new Delivery<>(
                new SerialExecutor(deliveryExecutor), cache, config.listener(), target);
        this.decoder = new EventDecoder<>(config.mapper(), config.type(), config.idField());
        this.backoff = new Backoff(config.minBackoff().toMillis(), config.maxBackoff().toMillis(),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    void start() {
        LOG.info("Watch of {} started", target);
        loop.post(this::connect);
    }

    ResourceCache<T> cache() {
        return cache;
    }

    Delivery<T> delivery() {
        return delivery;
    }

    String target() {
        return target;
    }

    String lastEventId() {
        return lastEventId;
    }

    WatchStoppedException stopCause() {
        return stopCause;
    }

    // ---- Connecting ----

    private void connect() {
        if (isFinished()) {
            return;
        }
        reconnect = null;
        HttpRequest request;
        try {
            // Without a cached state there is nothing to resume, so no cursor goes out.
            String cursor = snapshotReceived ? lastEventId : "";
            request = WatchHttp.newRequest(config.uri(), config.headers(), cursor, target);
        } catch (IOException e) {
            failAttempt(e);
            return;
        }

        Connection connection = new Connection(++attempts);
        connection.parser = new SseParser(new ParserHandler(connection), lastEventId);
        current = connection;
        state = State.CONNECTING;
        connection.idleCheck = loop.schedule(() -> checkIdle(connection), pingTimeoutNanos);

        CompletableFuture<HttpResponse<Void>> response;
        try {
            response = config.httpClient()
                    .sendAsync(request, info -> subscriberFor(connection, info));
        } catch (RuntimeException e) {
            fail(connection, new IOException("sending the request to " + target + " failed: "
                    + e, e));
            return;
        }
        connection.response = response;
        response.whenComplete((ignored, error) -> {
            if (error != null) {
                loop.post(() -> requestFailed(connection, error));
            }
        });
    }

    /** Chooses how to read a response. Runs on an HttpClient thread. */
    private HttpResponse.BodySubscriber<Void> subscriberFor(
            Connection connection, HttpResponse.ResponseInfo info) {
        connection.touch();
        if (info.statusCode() == 200 && WatchHttp.isEventStream(info.headers())) {
            return new StreamSubscriber(new StreamCallbacks(connection));
        }
        return new ErrorBodySubscriber(
                subscription -> {
                    if (!loop.post(() -> connection.attach(subscription))) {
                        subscription.cancel();
                    }
                },
                body -> loop.post(() -> rejectedOrFailed(connection, info, body)));
    }

    private void requestFailed(Connection connection, Throwable error) {
        if (connection != current) {
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
        fail(connection, new IOException("request to " + target + " failed: " + cause, cause));
    }

    /** Handles a response that is not an event stream. */
    private void rejectedOrFailed(
            Connection connection, HttpResponse.ResponseInfo info, byte[] body) {
        if (connection != current) {
            return;
        }
        release(connection);
        int status = info.statusCode();
        if (status == 200) {
            String contentType = info.headers().firstValue("Content-Type").orElse("");
            stop(WatchStoppedException.notEventStream(target, contentType), false);
            return;
        }
        String detail = decoder.detail(new String(body, StandardCharsets.UTF_8));
        if (status >= 500 || status == 408 || status == 429) {
            retryAfterMillis = WatchHttp.retryAfterMillis(info.headers());
            failAttempt(new IOException("HTTP " + status + " from " + target
                    + (detail == null ? "" : ": \"" + detail + "\"")));
            return;
        }
        // A 404 after a snapshot means the watched resource, or the parent of the watched
        // collection, is gone, and so is everything the cache has.
        stop(WatchStoppedException.rejected(target, status, detail),
                status == 404 && snapshotReceived);
    }

    // ---- Streaming ----

    private void opened(Connection connection, Flow.Subscription subscription) {
        if (connection != current) {
            subscription.cancel();
            return;
        }
        connection.attach(subscription);
        state = State.STREAMING;
        connection.touch();
        LOG.debug("Watch of {} connected (attempt {})", target, connection.attempt);
        subscription.request(1);
    }

    private void received(Connection connection, List<ByteBuffer> chunk) {
        if (connection != current) {
            return;
        }
        for (ByteBuffer buffer : chunk) {
            connection.parser.feed(buffer);
            if (connection != current) {
                return;
            }
        }
        connection.touch();
        connection.subscription.request(1);
    }

    private void handleEvent(Connection connection, SseEvent event) {
        String type = event.type();
        CachedResource<T> changed = null;
        try {
            switch (type) {
                case "snapshot":
                    applySnapshot(decoder.snapshot(event.data()));
                    break;
                case "created":
                    changed = applyChange(ChangeType.CREATED, event);
                    break;
                case "updated":
                    changed = applyChange(ChangeType.UPDATED, event);
                    break;
                case "deleted":
                    changed = applyChange(ChangeType.DELETED, event);
                    break;
                case "unavailable":
                    fail(connection, unavailable(event));
                    return;
                default:
                    LOG.debug("Watch of {} ignores an event of type \"{}\"", target, type);
                    break;
            }
        } catch (IOException e) {
            fail(connection, new IOException("invalid \"" + type + "\" event with id \""
                    + event.lastEventId() + "\" from " + target + ": " + e.getMessage(), e));
            return;
        }
        markHealthy(connection);
        lastEventId = event.lastEventId();
        if (detailWatch && changed != null && type.equals("deleted")) {
            stop(WatchStoppedException.resourceDeleted(target, changed.id()), false);
        }
    }

    private IOException unavailable(SseEvent event) {
        String detail = decoder.detail(event.data());
        return new IOException("server at " + target + " sent an unavailable event"
                + (detail == null ? " without detail" : ": \"" + detail + "\""));
    }

    private void applySnapshot(EventDecoder.Snapshot<T> snapshot) {
        snapshotReceived = true;
        detailWatch = snapshot.detail();
        delivery.snapshot(snapshot.resources());
    }

    private CachedResource<T> applyChange(ChangeType type, SseEvent event) throws IOException {
        if (!snapshotReceived) {
            throw new IOException("it arrived before any snapshot (expected: a snapshot first)");
        }
        CachedResource<T> resource = decoder.resource(event.data());
        delivery.change(type, resource);
        return resource;
    }

    private void handleEmptyDispatch(Connection connection, String id) {
        // An id-only frame moves the resume cursor. Before a snapshot there is nothing to
        // resume, so the id is not used.
        if (!snapshotReceived || id.equals(lastEventId)) {
            return;
        }
        lastEventId = id;
        markHealthy(connection);
    }

    private void markHealthy(Connection connection) {
        if (!connection.healthy) {
            connection.healthy = true;
            failures = 0;
        }
    }

    private void streamFailed(Connection connection, Throwable error) {
        if (connection != current) {
            return;
        }
        fail(connection, new IOException("stream from " + target + " failed: " + error, error));
    }

    private void streamEnded(Connection connection) {
        if (connection != current) {
            return;
        }
        release(connection);
        if (!connection.healthy) {
            failAttempt(new IOException("stream from " + target + " ended before any event,"
                    + " id or ping (the server may be overloaded or at its watch limit)"));
            return;
        }
        long delay = nextDelayMillis();
        LOG.debug("Watch of {}: the server ended the stream; reconnecting in {} ms", target,
                delay);
        scheduleReconnect(delay);
    }

    private void checkIdle(Connection connection) {
        if (connection != current) {
            return;
        }
        long idle = connection.idleNanos();
        if (idle < pingTimeoutNanos) {
            long remaining = pingTimeoutNanos - idle;
            connection.idleCheck = loop.schedule(() -> checkIdle(connection), remaining);
            return;
        }
        fail(connection, new HttpTimeoutException("no data from " + target + " for "
                + TimeUnit.NANOSECONDS.toMillis(idle) + " ms, which reaches the ping timeout of "
                + config.pingTimeout().toMillis() + " ms; the connection is presumed dead"));
    }

    // ---- Failing, stopping and closing ----

    private void fail(Connection connection, IOException error) {
        release(connection);
        failAttempt(error);
    }

    private void release(Connection connection) {
        if (current == connection) {
            current = null;
        }
        connection.cancel();
    }

    private void failAttempt(IOException error) {
        failures++;
        long delay = nextDelayMillis();
        LOG.warn("Watch of {} failed ({} in a row), reconnecting in {} ms: {}", target, failures,
                delay, error.getMessage());
        delivery.error(error);
        scheduleReconnect(delay);
    }

    private long nextDelayMillis() {
        long delay = backoff.delayMillis(failures, serverRetryMillis, retryAfterMillis);
        retryAfterMillis = -1;
        return delay;
    }

    private void scheduleReconnect(long delayMillis) {
        state = State.WAITING;
        reconnect = loop.schedule(this::connect, TimeUnit.MILLISECONDS.toNanos(delayMillis));
    }

    private void stop(WatchStoppedException reason, boolean resourcesGone) {
        if (isFinished()) {
            return;
        }
        if (current != null) {
            release(current);
        }
        if (reconnect != null) {
            reconnect.cancel(false);
        }
        stopCause = reason;
        state = State.STOPPED;
        LOG.info("Watch of {} stopped: {}", target, reason.getMessage());
        if (resourcesGone) {
            delivery.removeAll();
        }
        // The loop thread is not needed any more once the listener has heard of the stop.
        delivery.stopped(reason, loop::shutdown);
    }

    /** Closes the connection, stops delivery and ends the loop thread. Idempotent. */
    void close() {
        if (closeRequested) {
            return;
        }
        closeRequested = true;
        delivery.close();
        if (loop.isLoopThread()) {
            closeOnLoop();
            loop.shutdown();
        } else {
            loop.post(this::closeOnLoop);
            loop.shutdown();
            loop.awaitExit(CLOSE_TIMEOUT);
        }
        LOG.info("Watch of {} closed", target);
    }

    private void closeOnLoop() {
        if (current != null) {
            release(current);
        }
        if (reconnect != null) {
            reconnect.cancel(false);
        }
        if (state != State.STOPPED) {
            state = State.CLOSED;
        }
    }

    private boolean isFinished() {
        return closeRequested || state == State.STOPPED || state == State.CLOSED;
    }

    @Override
    public String toString() {
        return "WatchClient{" + target + ", state=" + state + ", resources=" + cache.size()
                + ", lastEventId=\"" + lastEventId + "\", failures=" + failures + "}";
    }

    /** Passes the body's signals to the loop thread. */
    private final class StreamCallbacks implements StreamSubscriber.Callbacks {
        private final Connection connection;
        private volatile Flow.Subscription subscription;

        StreamCallbacks(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void opened(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (!loop.post(() -> WatchEngine.this.opened(connection, subscription))) {
                subscription.cancel();
            }
        }

        @Override
        public void received(List<ByteBuffer> chunk) {
            connection.touch();
            if (!loop.post(() -> WatchEngine.this.received(connection, chunk))) {
                subscription.cancel();
            }
        }

        @Override
        public void failed(Throwable error) {
            loop.post(() -> streamFailed(connection, error));
        }

        @Override
        public void ended() {
            loop.post(() -> streamEnded(connection));
        }
    }

    /** Receives what the parser of one connection reads, on the loop thread. */
    private final class ParserHandler implements SseParser.Handler {
        private final Connection connection;

        ParserHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void onEvent(SseEvent event) {
            if (connection == current) {
                handleEvent(connection, event);
            }
        }

        @Override
        public void onEmptyDispatch(String id) {
            if (connection == current) {
                handleEmptyDispatch(connection, id);
            }
        }

        @Override
        public void onRetry(long millis) {
            if (connection == current) {
                serverRetryMillis = millis;
            }
        }

        @Override
        public void onComment(String text) {
            if (connection == current) {
                markHealthy(connection);
            }
        }
    }
}
