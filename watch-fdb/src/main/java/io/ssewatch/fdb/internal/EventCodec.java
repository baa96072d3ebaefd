package io.ssewatch.fdb.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssewatch.api.ChangeEvent;
import io.ssewatch.api.ChangeType;
import io.ssewatch.api.Revision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Encodes resource bodies and change log entries as UTF-8 JSON.
 *
 * <p>A log entry is {@code {"v":1,"type":"updated","id":"...","before":{...},"after":{...}}},
 * with {@code before} absent for {@code created} and {@code after} absent for
 * {@code deleted}. The collection and the revision are in the entry's key, not in its value.
 * Thread-safe.
 */
public final class EventCodec {

    private static final int FORMAT = 1;

    private final ObjectMapper mapper;

    public EventCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Encodes a resource body. */
    public byte[] encodeBody(JsonNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body cannot be encoded as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Decodes a resource body. */
    public JsonNode decodeBody(byte[] bytes) {
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("stored resource body is not valid JSON", e);
        }
    }

    /** Encodes one change without its collection and revision. */
    public byte[] encodeChange(ChangeType type, String id, JsonNode before, JsonNode after) {
        ObjectNode entry = mapper.createObjectNode();
        entry.put("v", FORMAT);
        entry.put("type", type.eventName());
        entry.put("id", id);
        if (before != null) {
            entry.set("before", before);
        }
        if (after != null) {
            entry.set("after", after);
        }
        try {
            return mapper.writeValueAsBytes(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("change of " + id + " cannot be encoded as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * Decodes a log entry.
     *
     * @throws IllegalStateException when the entry is not one this codec wrote
     */
    public ChangeEvent decodeChange(String collection, Revision revision, byte[] bytes) {
        JsonNode entry;
        try {
            entry = mapper.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("log entry " + revision.token() + " of " + collection
                    + " is not valid JSON", e);
        }
        if (entry == null || entry.path("v").asInt() != FORMAT || !entry.path("id").isTextual()) {
            throw new IllegalStateException("log entry " + revision.token() + " of " + collection
                    + " has an unknown format (expected: {\"v\":" + FORMAT + ",\"type\":...})");
        }
        ChangeType type = typeOf(entry.path("type").asText(), collection, revision);
        return new ChangeEvent(type, collection, entry.get("id").asText(), entry.get("before"),
                entry.get("after"), revision);
    }

    private static ChangeType typeOf(String name, String collection, Revision revision) {
        try {
            return ChangeType.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("log entry " + revision.token() + " of " + collection
                    + " has type \"" + name + "\" (expected: created, updated or deleted)", e);
        }
    }
}
