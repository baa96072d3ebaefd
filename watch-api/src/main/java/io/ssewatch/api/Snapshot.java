package io.ssewatch.api;

import java.util.List;
import java.util.Objects;

/**
 * Every resource of a collection at one revision.
 *
 * @param collection the collection
 * @param revision every change at or below it is included, none above it
 * @param resources the resources, in no particular order
 */
public record Snapshot(String collection, Revision revision, List<Resource> resources) {

    public Snapshot {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(revision, "revision");
        resources = List.copyOf(resources);
    }
}
