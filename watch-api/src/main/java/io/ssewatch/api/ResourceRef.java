package io.ssewatch.api;

import java.util.Objects;

/**
 * A reference to one resource, such as the parent a watch depends on.
 *
 * @param collection the collection of the resource
 * @param id the resource id
 */
public record ResourceRef(String collection, String id) {

    public ResourceRef {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(id, "id");
    }
}
