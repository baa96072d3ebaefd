package io.ssewatch.api.internal;

import io.ssewatch.api.ChangeType;
import io.ssewatch.api.PathParams;
import io.ssewatch.api.Revision;
import io.ssewatch.api.Resource;
import io.ssewatch.api.WatchDecision;
import io.ssewatch.api.WatchRoute;
import io.ssewatch.api.adapter.WatchConnection;
import io.ssewatch.api.adapter.WatchRequest;
import io.ssewatch.api.adapter.WatchSink;
import io.ssewatch.api.adapter.WriteCallback;
import io.ssewatch.api.sse.SseEncoder;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber of a hub: its scope and its outbound queue.
 *
 * <p><b>Concurrency.</b> Three kinds of thread touch a watch: the hub's dispatch thread
 * {@linkplain #offer offers} frames, the service's timer {@linkplain #tick ticks} it for pings
 * and write timeouts, and the HTTP server completes writes. All state below is guarded by
 * {@code this}, and no sink call is made while holding it. The {@code writing} flag makes
 * exactly one thread the writer at a time, so at most one write is outstanding.
 *
 * <p><b>Ordering.</b> Frames leave in the order they were offered, and revisions in the
 * {@code id:} lines only grow. When the queue passes its soft bounds, pending changes
 * coalesce per resource: an older pending change of the same resource is dropped and the
 * merged change is appended at the tail with the newer revision. Every resource's latest
 * pending change therefore still has a revision above the last id the client has seen, so a
 * client that resumes from that id converges.
 *
 * <p><b>Termination.</b> The watch ends when the client is gone (no more sink calls), when a
 * frame that ends the stream has been written (clean close), or when it is too slow (abort if a
 * write is outstanding, clean close otherwise). Either way it leaves its hub.
 */
public final class Watch implements WatchConnection {

    private static final Logger LOG = LoggerFactory.getLogger(Watch.class);
    private static final AtomicInteger IDS = new AtomicInteger();

    final int id = IDS.incrementAndGet();
    final WatchRoute route;
    final PathParams params;
    final String path;
    final String detailId;
    final int rendererIndex;
    private final Hub hub;
    private final WatchSink sink;
    private final WatchSettings settings;
    private final Predicate<Resource> filter;
    private final boolean hasFilter;
    final WatchRequest request;
    final String principal;
    final Map<String, String> corsHeaders;
    private final long deadlineNanos;
    private final AtomicBoolean released = new AtomicBoolean();
    private final List<Runnable> releaseActions = new CopyOnWriteArrayList<>();
    private volatile Revision startRevision;
    private volatile long nextAuthorizationNanos;
    private volatile boolean authorizing;

    /** Frames sent first (snapshot or replay); not counted against the buffer bounds. */
    private final ArrayDeque<Frame> initial = new ArrayDeque<>(2);
    // Small at first, because most watches queue only a few frames at a time and the deque
    // grows by doubling. The default capacity of 16 cost about 100 bytes per idle watch.
    private final ArrayDeque<Frame> queue = new ArrayDeque<>(4);
    private LinkedHashMap<String, Frame> coalesced;
    private int queuedEvents;
    private long queuedBytes;
    private boolean started;
    private boolean writing;
    private boolean ending;
    private boolean finishing;
    private boolean parentGone;
    private boolean opened;
    private boolean closed;
    private long writeStartedNanos;
    private long lastWriteNanos = System.nanoTime();
    private Revision lastSentRevision;

    Watch(Hub hub, WatchRoute route, PathParams params, WatchRequest request,
            WatchDecision decision, int rendererIndex, WatchSink sink, WatchSettings settings,
            long lifetimeNanos, Map<String, String> corsHeaders) {
        this.corsHeaders = corsHeaders;
        this.hub = hub;
        this.route = route;
        this.params = params;
        this.request = request;
        this.path = request.path();
        this.principal = decision.principal();
        this.filter = decision.filter();
        this.hasFilter = decision.hasFilter();
        this.detailId = route.resourceId(params);
        this.rendererIndex = rendererIndex;
        this.sink = sink;
        this.settings = settings;
        long now = System.nanoTime();
        this.deadlineNanos = now + lifetimeNanos;
        this.nextAuthorizationNanos = now + settings.reauthorizeNanos();
    }

    /**
     * Returns whether this watch sees every resource of its collection: a list watch with
     * neither a route scope nor an authorization filter.
     */
    boolean seesWholeCollection() {
        return detailId == null && !route.hasScope() && !hasFilter;
    }

    /** Returns whether a resource state is visible to this watch. */
    boolean inScope(Entry entry) {
        if (entry == null) {
            return false;
        }
        if (detailId != null && !detailId.equals(entry.id())) {
            return false;
        }
        return route.inScope(params, entry.resource) && filter.test(entry.resource);
    }

    long retryMillis() {
        return settings.retryMillis();
    }

    /** Sends a response that is not a stream, unless the client is gone already. */
    void sinkRespond(int status, Map<String, String> headers, byte[] body) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        sink.respond(status, headers, body);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    boolean isDetail() {
        return detailId != null;
    }

    /** Sets the revision this watch is current at; the hub skips changes at or below it. */
    void startAt(Revision revision) {
        this.startRevision = revision;
        synchronized (this) {
            this.lastSentRevision = revision;
        }
    }

    Revision startRevision() {
        return startRevision;
    }

    Hub hub() {
        return hub;
    }

    /**
     * Starts the stream: commits the headers and writes the initial frames (snapshot or
     * replay) ahead of any change offered since the watch was registered. Returns false,
     * without touching the sink, when a parent was deleted since the watch was registered.
     */
    boolean begin(Map<String, String> headers, List<Frame> initial) {
        synchronized (this) {
            if (closed) {
                return true;
            }
            if (parentGone) {
                return false;
            }
            opened = true;
        }
        sink.startStream(headers);
        boolean write;
        synchronized (this) {
            if (closed) {
                return true;
            }
            // The initial frames and the started flag appear together, so that neither a
            // change offered meanwhile nor a ping can be written ahead of the snapshot.
            this.initial.addAll(initial);
            started = true;
            lastWriteNanos = System.nanoTime();
            write = claimWriter();
        }
        if (write) {
            flush();
        }
        return true;
    }

    /**
     * Ends the stream because a parent it depends on was deleted. Before the stream has
     * started, only records it, so that the opening responds with 404 instead.
     *
     * <p>NOTE: the parent's hub calls this from its own feed thread, so changes of this
     * watch's collection committed in the same transaction may not have been queued yet and
     * are then not sent. The reconnect's 404 covers them.
     */
    void parentDeleted() {
        synchronized (this) {
            parentGone = true;
            if (!opened) {
                return;
            }
        }
        LOG.debug("Watch {} on {} ends: a parent was deleted", id, path);
        finish();
    }

    /**
     * Queues the frames of one transaction. They are added under one lock hold, so no ping
     * or bookmark can fall between them.
     */
    void offer(List<Frame> frames) {
        boolean write;
        boolean overflow;
        synchronized (this) {
            if (closed || ending) {
                return;
            }
            for (Frame frame : frames) {
                add(frame);
                if (frame.endsStream()) {
                    ending = true;
                    break;
                }
            }
            overflow = queuedBytes > settings.maxBufferBytes();
            write = !overflow && claimWriter();
        }
        if (overflow) {
            closeSlow("its buffer passed " + settings.maxBufferBytes() + " bytes after coalescing");
        } else if (write) {
            // The hub's dispatch thread only queues. Writing happens on the engine's writer
            // pool, so socket writes of many watches run in parallel and never delay the
            // dispatch of the next change.
            hub.engine().writeLater(this::flush);
        }
    }

    /**
     * Ends the stream cleanly after writing {@code last}, dropping what is still queued; with
     * {@code null}, ends it after the write under way. The client resumes from its last id.
     */
    void end(Frame last) {
        boolean write;
        synchronized (this) {
            if (closed || (ending && last == null)) {
                return;
            }
            ending = true;
            clearQueue();
            initial.clear();
            if (last != null) {
                add(last);
            }
            write = claimWriter();
        }
        if (write) {
            flush();
        } else if (last == null) {
            finish();
        }
    }

    /**
     * Checks the timers: writes a ping (with a bookmark when the hub has moved on) after the
     * ping interval of quiet, and cuts the stream when a write is stuck.
     */
    void tick(long nowNanos, Revision dispatched) {
        boolean write = false;
        boolean stuck = false;
        boolean expired = false;
        synchronized (this) {
            if (closed || !started) {
                return;
            }
            if (!finishing && nowNanos - deadlineNanos >= 0) {
                expired = true;
            } else if (writing) {
                stuck = writeStartedNanos != 0
                        && nowNanos - writeStartedNanos > settings.writeTimeoutNanos();
            } else if (!ending && isEmpty() && nowNanos - lastWriteNanos >= settings.pingNanos()) {
                add(heartbeat(dispatched));
                write = claimWriter();
            }
        }
        if (expired) {
            LOG.debug("Watch {} on {} reached its maximum lifetime; closing", id, path);
            finish();
        } else if (stuck) {
            closeSlow("a write did not complete within "
                    + settings.writeTimeoutNanos() / 1_000_000 + " ms");
        } else if (write) {
            hub.engine().writeLater(this::flush);
        }
        if (!authorizing && nowNanos - nextAuthorizationNanos >= 0 && !isClosed()) {
            authorizing = true;
            hub.engine().reauthorize(this);
        }
    }

    /** Records the outcome of a re-authorization; a denial ends the stream cleanly. */
    void authorized(boolean allowed) {
        nextAuthorizationNanos = System.nanoTime() + settings.reauthorizeNanos();
        authorizing = false;
        if (!allowed) {
            LOG.info("Watch {} on {} of {} is no longer authorized; closing", id, path, principal);
            end(null);
        }
    }

    /** Ends the stream cleanly once everything queued is written. */
    void finish() {
        boolean closeNow;
        synchronized (this) {
            if (closed || finishing) {
                return;
            }
            finishing = true;
            ending = true;
            closeNow = !writing && isEmpty();
            if (closeNow) {
                closed = true;
            }
        }
        if (closeNow) {
            closeSink();
        }
    }

    /** Registers an action that runs once when the watch ends, such as removing a guard. */
    void onRelease(Runnable action) {
        releaseActions.add(action);
        if (released.get()) {
            action.run();
        }
    }

    /** Releases what the watch holds when it ends without ever streaming. Idempotent. */
    void discard() {
        synchronized (this) {
            closed = true;
            clearQueue();
        }
        release();
    }

    private void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        hub.unregister(this);
        for (Runnable action : releaseActions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.error("Releasing watch {} on {} failed", id, path, e);
            }
        }
    }

    private void closeSink() {
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing watch {} on {} failed", id, path, e);
        }
        release();
    }

    private Frame heartbeat(Revision dispatched) {
        byte[] ping = SseEncoder.ping(Instant.now());
        if (dispatched == null || lastSentRevision == null || !dispatched.isAfter(lastSentRevision)) {
            return Frame.control(ping, null);
        }
        byte[] bookmark = SseEncoder.idOnly(dispatched.token());
        byte[] both = new byte[ping.length + bookmark.length];
        System.arraycopy(ping, 0, both, 0, ping.length);
        System.arraycopy(bookmark, 0, both, ping.length, bookmark.length);
        return Frame.control(both, dispatched);
    }

    @Override
    public void clientGone(Throwable cause) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            clearQueue();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("Watch {} on {} ended: client gone ({})", id, path, String.valueOf(cause));
        }
        release();
    }

    /**
     * Ends the watch after a failed write, usually because the client is gone. Unlike
     * {@link #clientGone}, which the adapter calls after it noticed the failure itself, this
     * aborts the exchange. Otherwise the HTTP server would keep a request open for a dead
     * stream, and Jetty would wait for it on a graceful stop.
     */
    private void writeFailed(Throwable error) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            clearQueue();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("Watch {} on {} ended: a write failed ({})", id, path, String.valueOf(error));
        }
        try {
            sink.abort(error);
        } catch (RuntimeException e) {
            LOG.warn("Aborting watch {} on {} failed", id, path, e);
        }
        release();
    }

    private void closeSlow(String reason) {
        boolean abort;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            abort = writing;
            clearQueue();
        }
        LOG.warn("Watch {} on {} closed because the client is too slow: {}; it resumes from "
                + "its last event id when it reconnects", id, path, reason);
        hub.onSlowClose();
        try {
            if (abort) {
                sink.abort(new SlowConsumerException(reason));
            } else {
                sink.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("Closing watch {} on {} failed", id, path, e);
        }
        release();
    }

    // ---- queue, guarded by this ----

    private void add(Frame frame) {
        if (coalesced != null && frame.resourceId() != null) {
            merge(frame);
            return;
        }
        queue.addLast(frame);
        queuedEvents++;
        queuedBytes += frame.size();
        if (coalesced == null && (queuedEvents > settings.bufferEvents()
                || queuedBytes > settings.bufferBytes())) {
            startCoalescing();
        }
    }

    private void startCoalescing() {
        coalesced = new LinkedHashMap<>();
        int before = queuedEvents;
        Iterator<Frame> it = queue.iterator();
        while (it.hasNext()) {
            Frame frame = it.next();
            if (frame.resourceId() != null) {
                it.remove();
                queuedEvents--;
                queuedBytes -= frame.size();
                merge(frame);
            }
        }
        hub.onCoalesced(before - queuedEvents);
        if (LOG.isDebugEnabled()) {
            LOG.debug("Watch {} on {} is behind: coalescing {} queued events into {}", id, path,
                    before, queuedEvents);
        }
    }

    private void merge(Frame next) {
        Frame previous = coalesced.remove(next.resourceId());
        if (previous != null) {
            queuedEvents--;
            queuedBytes -= previous.size();
            hub.onCoalesced(1);
        }
        Frame merged = previous == null ? next : Coalescing.merge(previous, next);
        if (merged != null) {
            coalesced.put(next.resourceId(), merged);
            queuedEvents++;
            queuedBytes += merged.size();
        }
    }

    private boolean isEmpty() {
        return initial.isEmpty() && queue.isEmpty() && (coalesced == null || coalesced.isEmpty());
    }

    private void clearQueue() {
        queue.clear();
        coalesced = null;
        queuedEvents = 0;
        queuedBytes = 0;
    }

    private boolean claimWriter() {
        if (started && !writing && !closed && !isEmpty()) {
            writing = true;
            return true;
        }
        return false;
    }

    /** Removes the next frames, up to the write size, and joins them into one buffer. */
    private Batch takeBatch() {
        List<Frame> frames = new ArrayList<>();
        int bytes = 0;
        while (bytes < settings.maxWriteBytes()) {
            Frame frame = initial.pollFirst();
            if (frame == null) {
                frame = pollFrame();
                if (frame == null) {
                    break;
                }
                queuedEvents--;
                queuedBytes -= frame.size();
            }
            frames.add(frame);
            bytes += frame.size();
            if (frame.endsStream()) {
                break;
            }
        }
        if (frames.isEmpty()) {
            return null;
        }
        return Batch.of(frames, bytes);
    }

    private Frame pollFrame() {
        Frame frame = queue.pollFirst();
        if (frame != null) {
            return frame;
        }
        if (coalesced == null) {
            return null;
        }
        Iterator<Frame> it = coalesced.values().iterator();
        if (!it.hasNext()) {
            coalesced = null;
            return null;
        }
        frame = it.next();
        it.remove();
        if (coalesced.isEmpty()) {
            coalesced = null;
        }
        return frame;
    }

    // ---- writing ----

    /**
     * Writes batches until the queue is empty or a write does not complete at once. Only the
     * thread that set {@code writing} runs this, and the write callback that resumes it.
     */
    private void flush() {
        while (true) {
            Batch batch;
            boolean closeNow = false;
            synchronized (this) {
                batch = closed ? null : takeBatch();
                if (batch == null) {
                    writing = false;
                    if (finishing && !closed) {
                        closed = true;
                        closeNow = true;
                    }
                }
                writeStartedNanos = System.nanoTime();
            }
            if (batch == null) {
                if (closeNow) {
                    closeSink();
                }
                return;
            }
            Completion completion = new Completion(batch);
            try {
                sink.write(batch.buffer, completion);
            } catch (RuntimeException e) {
                completion.failed(e);
            }
            if (!completion.continueHere()) {
                return;
            }
        }
    }

    /** Records a completed write; returns whether the writer should go on. */
    private boolean written(Batch batch) {
        synchronized (this) {
            writeStartedNanos = 0;
            lastWriteNanos = System.nanoTime();
            if (batch.lastRevision != null) {
                lastSentRevision = batch.lastRevision;
            }
            if (!batch.endsStream || closed) {
                hub.engine().metrics().eventsSent(hub.collection, batch.frames);
                return !closed;
            }
            closed = true;
            clearQueue();
        }
        hub.engine().metrics().eventsSent(hub.collection, batch.frames);
        LOG.debug("Watch {} on {} ended after its last frame", id, path);
        closeSink();
        return false;
    }

    @Override
    public String toString() {
        synchronized (this) {
            return "Watch{" + id + " " + path + ", queued=" + queuedEvents + "/" + queuedBytes
                    + "B" + (coalesced != null ? ", coalescing" : "") + (writing ? ", writing" : "")
                    + (closed ? ", closed" : "") + ", lastSent=" + lastSentRevision + "}";
        }
    }

    /** Frames joined for one write. */
    private static final class Batch {
        final ByteBuffer buffer;
        final Revision lastRevision;
        final boolean endsStream;
        final int frames;

        private Batch(ByteBuffer buffer, Revision lastRevision, boolean endsStream, int frames) {
            this.buffer = buffer;
            this.lastRevision = lastRevision;
            this.endsStream = endsStream;
            this.frames = frames;
        }

        static Batch of(List<Frame> frames, int bytes) {
            Revision last = null;
            for (Frame frame : frames) {
                if (frame.revision() != null) {
                    last = frame.revision();
                }
            }
            boolean ends = frames.get(frames.size() - 1).endsStream();
            if (frames.size() == 1) {
                return new Batch(frames.get(0).bytes().duplicate(), last, ends, 1);
            }
            ByteBuffer joined = ByteBuffer.allocate(bytes);
            for (Frame frame : frames) {
                joined.put(frame.bytes().duplicate());
            }
            joined.flip();
            return new Batch(joined.asReadOnlyBuffer(), last, ends, frames.size());
        }
    }

    /**
     * The callback of one write. When the write completes before {@code sink.write} returns,
     * the writer loop goes on in place, which avoids unbounded recursion; otherwise the
     * callback resumes writing on the thread that completed it.
     */
    private final class Completion implements WriteCallback {
        private static final int PENDING = 0;
        private static final int COMPLETED = 1;
        private static final int RETURNED = 2;

        private final AtomicInteger state = new AtomicInteger(PENDING);
        private final Batch batch;
        private volatile boolean goOn;

        Completion(Batch batch) {
            this.batch = batch;
        }

        @Override
        public void succeeded() {
            goOn = written(batch);
            if (!state.compareAndSet(PENDING, COMPLETED) && goOn) {
                flush();
            }
        }

        @Override
        public void failed(Throwable error) {
            goOn = false;
            state.compareAndSet(PENDING, COMPLETED);
            writeFailed(error);
        }

        /** Returns whether the write completed already and the caller should write on. */
        boolean continueHere() {
            return !state.compareAndSet(PENDING, RETURNED) && goOn;
        }
    }

    /** Signals a stream cut because its client does not keep up. */
    static final class SlowConsumerException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SlowConsumerException(String message) {
            super(message);
        }
    }

    /** Merges two pending changes of one resource into the one that has the same effect. */
    static final class Coalescing {
        private Coalescing() {
        }

        static Frame merge(Frame previous, Frame next) {
            ChangeType first = previous.type();
            ChangeType second = next.type();
            if (first == ChangeType.CREATED && second == ChangeType.DELETED) {
                return null;
            }
            if (first == ChangeType.CREATED && second == ChangeType.UPDATED) {
                return Frames.change(ChangeType.CREATED, next.resourceId(), next.revision(),
                        next.json(), next.endsStream());
            }
            if (first == ChangeType.DELETED && second == ChangeType.CREATED) {
                return Frames.change(ChangeType.UPDATED, next.resourceId(), next.revision(),
                        next.json(), next.endsStream());
            }
            return next;
        }
    }
}
