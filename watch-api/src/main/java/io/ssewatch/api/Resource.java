package io.ssewatch.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One entity of a collection: a string id and a JSON body.
 *
 * <p>The body is shared, not copied: stores hand out bodies that nobody may modify, and a
 * caller that writes a body must not modify it afterwards.
 *
 * @param id the id, unique within its collection
 * @param body the stored JSON
 */
public record Resource(String id, JsonNode body) {

    public Resource {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(body, "body");
    }
}
