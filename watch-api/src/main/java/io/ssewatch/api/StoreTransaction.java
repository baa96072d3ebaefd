package io.ssewatch.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The reads and writes of one store transaction. Reads see the transaction's own writes.
 * An instance is valid only inside the {@link Store#write} call that created it, on that
 * thread.
 */
public interface StoreTransaction {

    /** Reads one resource, or empty when it does not exist. */
    Optional<Resource> get(String collection, String id);

    /**
     * Creates or replaces a resource. The body must not be modified afterwards.
     *
     * @throws IllegalArgumentException when the collection or id is empty or contains a
     *     control character, or when the store cannot hold the body
     */
    void put(String collection, String id, JsonNode body);

    /** Deletes a resource; deleting a missing resource writes nothing. */
    void delete(String collection, String id);
}
