package io.ssewatch.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates the JSON bodies of POST and PATCH requests. Malformed JSON is
 * rejected with 400. Well-formed JSON with a missing, unknown or invalid field is rejected
 * with 422. Each message names the field, the value and what is expected.
 */
final class RequestBodies {

    /** The DNS label rule of RFC 1123, so names can also serve as host or device names. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private static final String NAME_RULE = "1 to 63 lowercase letters, digits or hyphens, "
            + "starting and ending with a letter or digit";

    private static final List<String> NAME_FIELDS = List.of("name");
    private static final List<String> VOLUME_FIELDS =
            List.of("name", "size", "storage_node_id", "high_availability", "max_rw_iops");
    private static final List<String> VOLUME_PATCH_FIELDS = List.of("name", "size", "max_rw_iops");

    /** Fields that a volume GET returns but that a PATCH cannot change. */
    private static final Set<String> VOLUME_READ_ONLY_FIELDS = Set.of("id", "cluster_id",
            "storage_node_id", "status", "pool_uuid", "pool_name", "nodes", "high_availability",
            "capacity");

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private RequestBodies() {
    }

    /** Returns whether {@code value} is a UUID in canonical lower-case form. */
    static boolean isUuid(String value) {
        return UUID.matcher(value).matches();
    }

    /** Parses the body of a cluster or storage pool POST: {@code {"name": ...}}. */
    static String parseName(byte[] body) {
        ObjectNode object = parseObject(body, "{\"name\": \"pool-2\"}");
        rejectOtherFields(object, NAME_FIELDS, Set.of());
        return requireName(object);
    }

    /** Parses the body of a volume POST. */
    static VolumeSpec parseVolumeSpec(byte[] body) {
        ObjectNode object = parseObject(body, "{\"name\": \"vol-3\", \"size\": 1073741824}");
        rejectOtherFields(object, VOLUME_FIELDS, Set.of());
        String name = requireName(object);
        long size = readSize(object.get("size"));
        String nodeId = object.has("storage_node_id")
                ? readNodeId(object.get("storage_node_id")) : null;
        boolean highAvailability = object.has("high_availability")
                && readBoolean("high_availability", object.get("high_availability"));
        long maxRwIops = object.has("max_rw_iops")
                ? readIops(object.get("max_rw_iops")) : 0;
        return new VolumeSpec(name, size, nodeId, highAvailability, maxRwIops);
    }

    /** Parses the body of a volume PATCH; absent fields stay {@code null}. */
    static VolumePatch parseVolumePatch(byte[] body) {
        ObjectNode object = parseObject(body, "{\"size\": 2147483648}");
        rejectOtherFields(object, VOLUME_PATCH_FIELDS, VOLUME_READ_ONLY_FIELDS);
        String name = object.has("name") ? readName(object.get("name")) : null;
        Long size = object.has("size") ? readSize(object.get("size")) : null;
        Long maxRwIops = object.has("max_rw_iops") ? readIops(object.get("max_rw_iops")) : null;
        return new VolumePatch(name, size, maxRwIops);
    }

    private static ObjectNode parseObject(byte[] body, String example) {
        String expected = " (expected: a JSON object such as " + example + ")";
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr();
            throw ApiException.badRequest("request body is not valid JSON: "
                    + e.getOriginalMessage() + where + expected);
        } catch (IOException e) {
            // readTree declares IOException for every kind of input. A byte array involves no
            // I/O, so this is not expected to happen.
            throw new IllegalStateException("reading a JSON body from memory failed", e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw ApiException.badRequest("request body is empty" + expected);
        }
        if (!tree.isObject()) {
            String type = tree.getNodeType().toString().toLowerCase(Locale.ROOT);
            throw ApiException.unprocessable("request body is a JSON " + type + expected);
        }
        return (ObjectNode) tree;
    }

    /**
     * Rejects every field that is not in {@code accepted}, naming the fields that are. A field
     * in {@code readOnly} gets a message saying that it cannot be changed.
     */
    private static void rejectOtherFields(ObjectNode object, List<String> accepted,
            Set<String> readOnly) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (accepted.contains(field)) {
                continue;
            }
            String allowed = " (expected one of: " + String.join(", ", accepted) + ")";
            if (readOnly.contains(field)) {
                throw ApiException.unprocessable("field \"" + field
                        + "\" cannot be changed with PATCH" + allowed);
            }
            throw ApiException.unprocessable("unknown field \"" + field + "\"" + allowed);
        }
    }

    private static String requireName(ObjectNode object) {
        if (!object.has("name")) {
            throw ApiException.unprocessable("name is missing (expected: " + NAME_RULE + ")");
        }
        return readName(object.get("name"));
    }

    private static String readName(JsonNode value) {
        if (!value.isTextual() || !NAME.matcher(value.asText()).matches()) {
            throw invalid("name", value, NAME_RULE);
        }
        return value.asText();
    }

    private static long readSize(JsonNode value) {
        String rule = "a whole number of bytes above 0, such as 1073741824 for 1 GiB";
        if (value == null) {
            throw ApiException.unprocessable("size is missing (expected: " + rule + ")");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() <= 0) {
            throw invalid("size", value, rule);
        }
        return value.asLong();
    }

    private static long readIops(JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw invalid("max_rw_iops", value, "a whole number >= 0, where 0 means no limit");
        }
        return value.asLong();
    }

    private static boolean readBoolean(String field, JsonNode value) {
        if (!value.isBoolean()) {
            throw invalid(field, value, "true or false");
        }
        return value.asBoolean();
    }

    private static String readNodeId(JsonNode value) {
        if (!value.isTextual() || !isUuid(value.asText())) {
            throw invalid("storage_node_id", value,
                    "the lower-case UUID of a storage node of the cluster, or leave it out");
        }
        return value.asText();
    }

    private static ApiException invalid(String field, JsonNode value, String expected) {
        String text = value.toString();
        if (text.length() > 80) {
            text = text.substring(0, 77) + "...";
        }
        return ApiException.unprocessable(field + ": " + text + " is invalid (expected: "
                + expected + ")");
    }
}
