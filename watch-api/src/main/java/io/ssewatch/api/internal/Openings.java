package io.ssewatch.api.internal;

import io.ssewatch.api.ChangeType;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds what a new watch sends first: its snapshot, or the changes it missed. */
final class Openings {

    private static final Logger LOG = LoggerFactory.getLogger(Openings.class);

    private Openings() {
    }

    static List<Frame> initialFrames(Engine engine, Watch watch, Hub.Opening opening) {
        long retry = watch.retryMillis();
        if (opening.snapshot() == null) {
            List<Frame> frames = new ArrayList<>(opening.replay().size() + 1);
            frames.add(Frames.retry(retry));
            List<ChangeFrames> changeFrames = new ArrayList<>(opening.replay().size());
            for (Change change : opening.replay()) {
                changeFrames.add(new ChangeFrames(engine, change));
            }
            List<Frame> missed = Dispatcher.framesFor(watch, opening.replay(), changeFrames, null);
            if (missed != null) {
                frames.addAll(missed);
            }
            return frames;
        }
        int max = engine.maxEventBytes();
        if (watch.isDetail()) {
            Entry entry = opening.snapshot().get(0);
            byte[] json = render(engine, watch, entry);
            if (json != null && json.length > max) {
                return List.of(Frames.snapshot(opening.start(), retry, new byte[] {'{', '}'}),
                        Frames.oversized(ChangeType.UPDATED, entry.id(), opening.start(),
                                json.length, max));
            }
            return List.of(Frames.snapshot(opening.start(), retry,
                    json == null ? new byte[] {'{', '}'} : json));
        }
        boolean shared = watch.seesWholeCollection();
        if (shared) {
            List<Frame> cached = watch.hub().sharedSnapshot(opening.start(), watch.rendererIndex,
                    watch.route.order());
            if (cached != null) {
                return cached;
            }
        }
        List<Frame> frames = listFrames(engine, watch, opening);
        if (shared) {
            watch.hub().shareSnapshot(opening.start(), watch.rendererIndex, watch.route.order(),
                    frames);
        }
        return frames;
    }

    private static List<Frame> listFrames(Engine engine, Watch watch, Hub.Opening opening) {
        long retry = watch.retryMillis();
        int max = engine.maxEventBytes();
        List<Entry> entries = new ArrayList<>(opening.snapshot());
        Hub.sort(entries, watch.route.order());
        List<byte[]> items = new ArrayList<>(entries.size());
        List<Frame> oversized = new ArrayList<>();
        for (Entry entry : entries) {
            byte[] json = render(engine, watch, entry);
            if (json != null && json.length > max) {
                oversized.add(Frames.oversized(ChangeType.CREATED, entry.id(), opening.start(),
                        json.length, max));
            } else if (json != null) {
                items.add(json);
            }
        }
        List<Frame> frames = new ArrayList<>(1 + oversized.size());
        frames.add(Frames.listSnapshot(opening.start(), retry, items));
        frames.addAll(oversized);
        return List.copyOf(frames);
    }

    private static byte[] render(Engine engine, Watch watch, Entry entry) {
        try {
            return entry.rendered(watch.rendererIndex, engine.renderer(watch.rendererIndex),
                    engine.mapper());
        } catch (Entry.RenderException e) {
            LOG.error("Leaving resource {} out of the snapshot of watch {} on {}: {}",
                    entry.id(), watch.id, watch.path, e.getMessage(), e.getCause());
            return null;
        }
    }
}
