package io.ssewatch.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ssewatch.api.adapter.WatchSink;
import io.ssewatch.api.adapter.WriteCallback;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link WatchSink} that records what the core writes, for tests without an HTTP server.
 *
 * <p>Writes complete at once unless the sink is {@linkplain #pause() paused}, which holds
 * their callbacks like a client that stopped reading; {@link #resume()} completes them. It
 * also checks the sink contract: one write outstanding at most, nothing after the end.
 */
public final class RecordingSink implements WatchSink {

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final ArrayDeque<WriteCallback> held = new ArrayDeque<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final List<String> violations = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile int status;
    private volatile Map<String, String> headers;
    private volatile String body;
    private volatile String end;
    private boolean paused;
    private boolean writing;

    @Override
    public synchronized void respond(int status, Map<String, String> headers, byte[] body) {
        checkNotEnded("respond");
        this.status = status;
        this.headers = headers;
        this.body = new String(body, StandardCharsets.UTF_8);
        end("responded");
    }

    @Override
    public synchronized void startStream(Map<String, String> headers) {
        checkNotEnded("startStream");
        this.status = 200;
        this.headers = headers;
    }

    @Override
    public void write(ByteBuffer bytes, WriteCallback callback) {
        boolean complete;
        synchronized (this) {
            checkNotEnded("write");
            if (writing) {
                violations.add("a second write while one was outstanding");
            }
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            partial.append(new String(copy, StandardCharsets.UTF_8));
            splitFrames();
            complete = !paused;
            if (!complete) {
                writing = true;
                held.add(callback);
            }
        }
        if (complete) {
            callback.succeeded();
        }
    }

    private void splitFrames() {
        int at;
        while ((at = partial.indexOf("\n\n")) >= 0) {
            frames.add(partial.substring(0, at + 2));
            partial.delete(0, at + 2);
        }
    }

    @Override
    public synchronized void close() {
        if (writing) {
            violations.add("close while a write was outstanding");
        }
        checkNotEnded("close");
        end("closed");
    }

    @Override
    public synchronized void abort(Throwable cause) {
        end("aborted: " + cause.getMessage());
    }

    private void checkNotEnded(String call) {
        if (end != null) {
            violations.add(call + " after the sink " + end);
        }
    }

    private void end(String how) {
        if (end == null) {
            end = how;
            ended.countDown();
        }
    }

    /** Holds write callbacks from now on, like a client that stopped reading. */
    public synchronized void pause() {
        paused = true;
    }

    /** Completes held writes and lets later writes complete at once. */
    public void resume() {
        while (true) {
            WriteCallback callback;
            synchronized (this) {
                paused = false;
                callback = held.poll();
                if (callback == null) {
                    return;
                }
                writing = false;
            }
            callback.succeeded();
        }
    }

    /** Completes the first held write only. */
    public void completeOneWrite() {
        WriteCallback callback;
        synchronized (this) {
            callback = held.poll();
            writing = false;
        }
        if (callback != null) {
            callback.succeeded();
        }
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public String body() {
        return body;
    }

    /** Returns how the sink ended ("closed", "responded", "aborted: ..."), or null. */
    public String end() {
        return end;
    }

    /** Returns the next frame written, failing after the default wait. */
    public String nextFrame() throws InterruptedException {
        String frame = frames.poll(SseTestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            fail("no frame within " + SseTestClient.WAIT + "; sink end: " + end);
        }
        return frame;
    }

    /** Returns the next frame that is not only a comment. */
    public SseEvent nextEvent() throws InterruptedException {
        while (true) {
            SseEvent event = SseEvent.parse(nextFrame());
            if (!event.isCommentOnly()) {
                return event;
            }
        }
    }

    /** Returns the frames written so far and not yet taken. */
    public List<String> drainFrames() {
        List<String> out = new ArrayList<>();
        frames.drainTo(out);
        return out;
    }

    /** Checks that no frame but pings arrives within {@code quiet}. */
    public void assertNoEvent(Duration quiet) throws InterruptedException {
        long deadline = System.nanoTime() + quiet.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            String frame = frames.poll(left, TimeUnit.NANOSECONDS);
            if (frame != null) {
                assertThat(SseEvent.parse(frame).isCommentOnly()).as("unexpected frame %s", frame)
                        .isTrue();
            }
        }
    }

    /** Waits until the stream or response ended. */
    public void awaitEnd() throws InterruptedException {
        if (!ended.await(SseTestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("the sink did not end within " + SseTestClient.WAIT);
        }
    }

    /** Checks the sink contract held. */
    public synchronized void assertNoViolations() {
        assertThat(violations).as("sink contract violations").isEmpty();
    }
}
