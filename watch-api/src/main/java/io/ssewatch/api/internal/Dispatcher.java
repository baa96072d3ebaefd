package io.ssewatch.api.internal;

import io.ssewatch.api.Revision;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans one applied transaction out to a hub's watches: decides per watch which frames it
 * gets, and queues each watch's frames for the whole transaction in one call.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private Dispatcher() {
    }

    static void dispatch(Hub hub, List<Change> changes) {
        Engine engine = hub.engine();
        List<ChangeFrames> frames = new ArrayList<>(changes.size());
        for (Change change : changes) {
            frames.add(new ChangeFrames(engine, change));
        }
        for (Watch watch : hub.listWatches()) {
            List<Frame> out = framesFor(watch, changes, frames, watch.startRevision());
            if (out != null) {
                watch.offer(out);
            }
        }
        for (int i = 0; i < changes.size(); i++) {
            Set<Watch> watches = hub.detailWatches(changes.get(i).id());
            if (watches == null) {
                continue;
            }
            for (Watch watch : watches) {
                List<Frame> out = framesFor(watch, changes.subList(i, i + 1),
                        frames.subList(i, i + 1), watch.startRevision());
                if (out != null) {
                    watch.offer(out);
                }
            }
        }
    }

    /**
     * Returns the frames one watch gets for these changes, or {@code null} for none. Changes
     * at or below {@code start} are skipped: the watch's snapshot or replay already covers
     * them. A watch whose scope predicate throws is ended with {@code unavailable}.
     *
     * @param start the revision the watch is current at, or {@code null} to skip nothing
     */
    static List<Frame> framesFor(Watch watch, List<Change> changes, List<ChangeFrames> frames,
            Revision start) {
        List<Frame> out = null;
        for (int i = 0; i < changes.size(); i++) {
            if (start != null && !changes.get(i).revision().isAfter(start)) {
                continue;
            }
            Frame frame;
            try {
                frame = frames.get(i).frameFor(watch);
            } catch (RuntimeException e) {
                LOG.error("Scope of watch {} on {} failed; ending the stream", watch.id,
                        watch.path, e);
                watch.end(Frames.unavailable(watch.retryMillis(), "the watch's scope failed"));
                return null;
            }
            if (frame != null) {
                if (out == null) {
                    out = new ArrayList<>(changes.size());
                }
                out.add(frame);
            }
        }
        return out;
    }
}
