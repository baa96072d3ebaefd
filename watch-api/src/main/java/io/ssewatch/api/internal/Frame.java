package io.ssewatch.api.internal;

import io.ssewatch.api.ChangeType;
import io.ssewatch.api.Revision;
import java.nio.ByteBuffer;

/**
 * Encoded bytes ready for the wire, shared by every watch that sends the same event.
 *
 * @param resourceId the resource the frame is about, or {@code null} for snapshots, pings and
 *     bookmarks, which are never coalesced
 * @param type the change type, or {@code null} when the frame is not a change event
 * @param revision the revision in the frame's {@code id:} line, or {@code null} if it has none
 * @param json the event's payload, kept so that a coalesced frame can be encoded anew
 * @param bytes the encoded frame, read-only; readers take a duplicate
 * @param endsStream whether the stream closes once this frame is written (a detail watch's
 *     {@code deleted}, or {@code unavailable})
 */
record Frame(String resourceId, ChangeType type, Revision revision, byte[] json,
        ByteBuffer bytes, boolean endsStream) {

    static Frame control(byte[] encoded, Revision revision) {
        return new Frame(null, null, revision, null, wrap(encoded), false);
    }

    static Frame last(byte[] encoded) {
        return new Frame(null, null, null, null, wrap(encoded), true);
    }

    static ByteBuffer wrap(byte[] encoded) {
        return ByteBuffer.wrap(encoded).asReadOnlyBuffer();
    }

    int size() {
        return bytes.remaining();
    }
}
