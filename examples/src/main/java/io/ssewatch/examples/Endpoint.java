package io.ssewatch.examples;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The endpoints of the control-plane API, their path templates and their methods. */
enum Endpoint {
    CLUSTERS(ApiPaths.CLUSTERS, "GET", "POST"),
    CLUSTER(ApiPaths.CLUSTER, "GET"),
    STORAGE_POOLS(ApiPaths.STORAGE_POOLS, "GET", "POST"),
    STORAGE_POOL(ApiPaths.STORAGE_POOL, "GET", "DELETE"),
    VOLUMES(ApiPaths.VOLUMES, "GET", "POST"),
    VOLUME(ApiPaths.VOLUME, "GET", "PATCH", "DELETE"),
    STORAGE_NODES(ApiPaths.STORAGE_NODES, "GET"),
    STORAGE_NODE(ApiPaths.STORAGE_NODE, "GET");

    private final String template;
    private final List<String> segments;
    private final List<String> methods;

    Endpoint(String template, String... methods) {
        this.template = template;
        this.segments = split(template);
        this.methods = List.of(methods);
    }

    /** The endpoint whose template matches a path, with the values of its variables. */
    record Match(Endpoint endpoint, Map<String, String> params) {
    }

    /** Returns the endpoint that matches {@code path}, or {@code null} when none does. */
    static Match match(String path) {
        List<String> actual = split(path);
        for (Endpoint endpoint : values()) {
            Map<String, String> params = endpoint.bind(actual);
            if (params != null) {
                return new Match(endpoint, params);
            }
        }
        return null;
    }

    String template() {
        return template;
    }

    List<String> methods() {
        return methods;
    }

    /** Returns the variable values when the segments match this template, else null. */
    private Map<String, String> bind(List<String> actual) {
        if (actual.size() != segments.size()) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String expected = segments.get(i);
            String value = actual.get(i);
            if (expected.startsWith("{")) {
                if (value.isEmpty()) {
                    return null;
                }
                params.put(expected.substring(1, expected.length() - 1), value);
            } else if (!expected.equals(value)) {
                return null;
            }
        }
        return params;
    }

    /** Splits "/a/b/" into [a, b]. One trailing slash is optional; inner empty segments stay. */
    private static List<String> split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("/", -1));
    }
}
