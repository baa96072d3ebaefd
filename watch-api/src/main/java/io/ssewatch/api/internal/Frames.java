package io.ssewatch.api.internal;

import io.ssewatch.api.ChangeType;
import io.ssewatch.api.Revision;
import io.ssewatch.api.sse.SseEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds the frames a hub sends. */
final class Frames {

    private static final byte[] OPEN = {'['};
    private static final byte[] CLOSE = {']'};

    private Frames() {
    }

    static Frame change(ChangeType type, String resourceId, Revision revision, byte[] json,
            boolean endsStream) {
        byte[] encoded = SseEncoder.event(type.eventName(), revision.token(), -1, json);
        return new Frame(resourceId, type, revision, json, Frame.wrap(encoded), endsStream);
    }

    /** Builds a list snapshot: one event whose data is a JSON array of the rendered items. */
    static Frame listSnapshot(Revision revision, long retryMillis, List<byte[]> items) {
        int size = 2 + Math.max(0, items.size() - 1);
        for (byte[] item : items) {
            size += item.length;
        }
        byte[] array = new byte[size];
        int at = 0;
        array[at++] = OPEN[0];
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                array[at++] = ',';
            }
            byte[] item = items.get(i);
            System.arraycopy(item, 0, array, at, item.length);
            at += item.length;
        }
        array[at] = CLOSE[0];
        return snapshot(revision, retryMillis, array);
    }

    /** Builds a detail snapshot: one event whose data is the object itself. */
    static Frame snapshot(Revision revision, long retryMillis, byte[] json) {
        byte[] encoded = SseEncoder.event("snapshot", revision.token(), retryMillis, json);
        return Frame.control(encoded, revision);
    }

    /**
     * Builds the {@code oversized} event sent in place of a change whose rendered resource
     * exceeds the maximum event size, so that the client learns which resource it must fetch
     * by other means instead of silently missing it.
     */
    static Frame oversized(ChangeType type, String resourceId, Revision revision, int bytes,
            int max) {
        String json = "{\"id\":" + Json.quote(resourceId) + ",\"type\":\"" + type.eventName()
                + "\",\"bytes\":" + bytes + ",\"max_event_bytes\":" + max + ",\"detail\":"
                + Json.quote("the resource is too large to stream; read it with a GET") + "}";
        byte[] encoded = SseEncoder.event("oversized", revision == null ? null : revision.token(),
                -1, json.getBytes(StandardCharsets.UTF_8));
        return Frame.control(encoded, revision);
    }

    /** Builds the frame that opens a resumed stream: only the reconnection delay. */
    static Frame retry(long retryMillis) {
        return Frame.control(SseEncoder.retryOnly(retryMillis), null);
    }

    /**
     * Builds the {@code unavailable} event that ends a stream on a transient failure, with a
     * reconnection delay, so that browsers retry instead of giving up.
     */
    static Frame unavailable(long retryMillis, String detail) {
        String json = "{\"detail\":" + Json.quote(detail) + "}";
        byte[] encoded = SseEncoder.event("unavailable", null, retryMillis,
                json.getBytes(StandardCharsets.UTF_8));
        return Frame.last(encoded);
    }
}
