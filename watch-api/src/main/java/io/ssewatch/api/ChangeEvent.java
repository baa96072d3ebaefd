package io.ssewatch.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One committed change of one resource, as a store's change feed delivers it.
 *
 * @param type whether the resource was created, updated or deleted
 * @param collection the collection the resource belongs to
 * @param id the resource id
 * @param before the state before the change, or {@code null} for {@link ChangeType#CREATED}
 * @param after the state after the change, or {@code null} for {@link ChangeType#DELETED}
 * @param revision the revision of this change, unique to it
 */
public record ChangeEvent(
        ChangeType type, String collection, String id, JsonNode before, JsonNode after,
        Revision revision) {

    public ChangeEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(revision, "revision");
        if ((before == null) != (type == ChangeType.CREATED)) {
            throw new IllegalArgumentException(type + " change of " + id + ": before is "
                    + (before == null ? "null" : "set") + " (expected: null only for CREATED)");
        }
        if ((after == null) != (type == ChangeType.DELETED)) {
            throw new IllegalArgumentException(type + " change of " + id + ": after is "
                    + (after == null ? "null" : "set") + " (expected: null only for DELETED)");
        }
    }

    /** Returns the last state the resource had: {@code after}, or {@code before} when deleted. */
    public JsonNode lastState() {
        return after != null ? after : before;
    }
}
