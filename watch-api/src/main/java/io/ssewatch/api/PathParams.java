package io.ssewatch.api;

import java.util.Map;

/**
 * The values of the {@code {name}} segments of a route's path template, decoded.
 *
 * @param values the values by segment name
 */
public record PathParams(Map<String, String> values) {

    public PathParams {
        values = Map.copyOf(values);
    }

    /**
     * Returns the value of a path segment.
     *
     * @throws IllegalArgumentException when the template has no segment of that name
     */
    public String get(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("path parameter: \"" + name
                    + "\" is not in the route's template (expected one of " + values.keySet() + ")");
        }
        return value;
    }
}
