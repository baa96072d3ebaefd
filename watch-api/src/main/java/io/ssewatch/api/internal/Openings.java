package io.ssewatch.api.internal;

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
            List<Frame> missed = Dispatcher.framesFor(watch, opening.replay(), changeFrames);
            if (missed != null) {
                frames.addAll(missed);
            }
            return frames;
        }
        if (watch.isDetail()) {
            byte[] json = render(engine, watch, opening.snapshot().get(0));
            return List.of(Frames.snapshot(opening.start(), retry, json == null ? new byte[] {
                '{', '}'} : json));
        }
        List<Entry> entries = new ArrayList<>(opening.snapshot());
        Hub.sort(entries, watch.route.order());
        List<byte[]> items = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            byte[] json = render(engine, watch, entry);
            if (json != null) {
                items.add(json);
            }
        }
        return List.of(Frames.listSnapshot(opening.start(), retry, items));
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
