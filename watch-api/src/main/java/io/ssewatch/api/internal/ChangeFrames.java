package io.ssewatch.api.internal;

import io.ssewatch.api.ChangeType;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what one change means to each watch, and encodes each distinct frame once.
 *
 * <p>Watches that use the same renderer and see the same transition get the very same
 * {@link Frame}. Used by one thread at a time: the hub's dispatch, or a watch's replay.
 */
final class ChangeFrames {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeFrames.class);
    private static final int KINDS = ChangeType.values().length * 2;

    private final Change change;
    private final Engine engine;
    private Frame[] frames;
    private byte[] unchanged;
    private boolean[] failed;

    ChangeFrames(Engine engine, Change change) {
        this.engine = engine;
        this.change = change;
    }

    /**
     * Returns the frame {@code watch} must send for this change, or {@code null} when the
     * change is invisible to it: outside its scope before and after, or an update whose
     * rendered JSON did not change.
     */
    Frame frameFor(Watch watch) {
        boolean was = watch.inScope(change.before());
        boolean is = watch.inScope(change.after());
        if (!was && !is) {
            return null;
        }
        ChangeType type;
        Entry shown;
        if (!was) {
            type = ChangeType.CREATED;
            shown = change.after();
        } else if (!is) {
            // Leaving the scope: the client gets the current state if the resource still
            // exists, otherwise its last state, so the payload always carries the id.
            type = ChangeType.DELETED;
            shown = change.after() != null ? change.after() : change.before();
        } else {
            if (isUnchanged(watch.rendererIndex)) {
                return null;
            }
            type = ChangeType.UPDATED;
            shown = change.after();
        }
        if (watch.isDetail() && type == ChangeType.CREATED) {
            type = ChangeType.UPDATED;
        }
        boolean ends = watch.isDetail() && type == ChangeType.DELETED;
        return frame(watch.rendererIndex, type, shown, ends);
    }

    private Frame frame(int renderer, ChangeType type, Entry shown, boolean ends) {
        if (frames == null) {
            frames = new Frame[engine.rendererCount() * KINDS];
        }
        int slot = renderer * KINDS + type.ordinal() * 2 + (ends ? 1 : 0);
        Frame frame = frames[slot];
        if (frame == null) {
            byte[] json = render(renderer, shown);
            if (json == null) {
                return null;
            }
            int max = engine.maxEventBytes();
            frame = json.length > max
                    ? Frames.oversized(type, change.id(), change.revision(), json.length, max)
                    : Frames.change(type, change.id(), change.revision(), json, ends);
            frames[slot] = frame;
        }
        return frame;
    }

    private boolean isUnchanged(int renderer) {
        if (unchanged == null) {
            unchanged = new byte[engine.rendererCount()];
        }
        if (unchanged[renderer] == 0) {
            byte[] before = render(renderer, change.before());
            byte[] after = render(renderer, change.after());
            boolean same = before != null && after != null && Arrays.equals(before, after);
            unchanged[renderer] = (byte) (same ? 1 : 2);
        }
        return unchanged[renderer] == 1;
    }

    /** Renders an entry, or returns {@code null} and logs once when the renderer fails. */
    private byte[] render(int renderer, Entry entry) {
        if (failed != null && failed[renderer]) {
            return null;
        }
        try {
            return entry.rendered(renderer, engine.renderer(renderer), engine.mapper());
        } catch (Entry.RenderException e) {
            if (failed == null) {
                failed = new boolean[engine.rendererCount()];
            }
            failed[renderer] = true;
            LOG.error("Skipping the change of {} at revision {}: {}", change.id(),
                    change.revision(), e.getMessage(), e.getCause());
            return null;
        }
    }
}
