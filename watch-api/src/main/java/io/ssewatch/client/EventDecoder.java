package io.ssewatch.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the JSON data of watch events into cached resources. Thread-safe when the
 * {@code ObjectMapper} is, which it is once configured.
 */
final class EventDecoder<T> {

    /** A decoded snapshot; {@code detail} is true when the data was one object, not a list. */
    record Snapshot<T>(List<CachedResource<T>> resources, boolean detail) {
    }

    private static final int MAX_DETAIL_CHARS = 500;

    private final ObjectMapper mapper;
    private final Class<T> type;
    private final String idField;

    EventDecoder(ObjectMapper mapper, Class<T> type, String idField) {
        this.mapper = mapper;
        this.type = type;
        this.idField = idField;
    }

    /**
     * Decodes the data of a {@code snapshot} event: an array of resources from a list
     * endpoint, or one resource object from a detail endpoint.
     *
     * @throws IOException when the data is not JSON or a resource is invalid
     */
    Snapshot<T> snapshot(String data) throws IOException {
        JsonNode root = mapper.readTree(data);
        if (root != null && root.isArray()) {
            List<CachedResource<T>> resources = new ArrayList<>(root.size());
            for (int i = 0; i < root.size(); i++) {
                resources.add(toResource(root.get(i), "snapshot element " + i));
            }
            return new Snapshot<>(resources, false);
        }
        if (root != null && root.isObject()) {
            return new Snapshot<>(List.of(toResource(root, "snapshot")), true);
        }
        throw new IOException("snapshot data is " + describe(root)
                + " (expected: a JSON array of resources, or one resource object)");
    }

    /**
     * Decodes the data of a {@code created}, {@code updated} or {@code deleted} event.
     *
     * @throws IOException when the data is not JSON or not a valid resource
     */
    CachedResource<T> resource(String data) throws IOException {
        return toResource(mapper.readTree(data), "event data");
    }

    /**
     * Returns the {@code detail} string of a JSON error body such as
     * {@code {"detail": "..."}}, shortened to 500 chars, or {@code null} when the body has
     * none.
     */
    String detail(String body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
        JsonNode detail = root == null ? null : root.get("detail");
        if (detail == null || !detail.isValueNode() || detail.isNull()) {
            return null;
        }
        String text = detail.asText();
        if (text.length() <= MAX_DETAIL_CHARS) {
            return text;
        }
        return text.substring(0, MAX_DETAIL_CHARS) + "...";
    }

    private CachedResource<T> toResource(JsonNode node, String label) throws IOException {
        if (node == null || !node.isObject()) {
            throw new IOException(label + " is " + describe(node)
                    + " (expected: a JSON object with an \"" + idField + "\" field)");
        }
        JsonNode id = node.get(idField);
        if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
            String found = id == null ? "no \"" + idField + "\" field"
                    : "\"" + idField + "\" as " + describe(id);
            throw new IOException(label + " has " + found + " (expected: a string or integer"
                    + " id; the id field name is set with WatchClient.Builder.idField)");
        }
        return new CachedResource<>(id.asText(), node, convert(node));
    }

    private T convert(JsonNode node) throws IOException {
        if (type == JsonNode.class) {
            return type.cast(node);
        }
        return mapper.treeToValue(node, type);
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "empty";
        }
        return "a JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
