package io.ssewatch.api.internal;

import io.ssewatch.api.PathParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A path template such as {@code /api/v2/pools/{pool}/volumes/}: literal segments that must
 * match exactly, and {@code {name}} segments that match any one non-empty segment. A
 * trailing slash in the template is optional in the request.
 */
public final class PathTemplate {

    private final String text;
    private final List<String> segments;
    private final List<String> names;

    private PathTemplate(String text, List<String> segments, List<String> names) {
        this.text = text;
        this.segments = segments;
        this.names = names;
    }

    /** Parses a template; throws when it does not start with a slash or a name repeats. */
    public static PathTemplate parse(String text) {
        if (text == null || !text.startsWith("/")) {
            throw new IllegalArgumentException("path template: \"" + text
                    + "\" (expected: an absolute path such as /api/v2/items/{id}/)");
        }
        List<String> segments = split(text);
        List<String> names = new ArrayList<>();
        for (String segment : segments) {
            if (segment.startsWith("{") && segment.endsWith("}")) {
                String name = segment.substring(1, segment.length() - 1);
                if (name.isEmpty() || names.contains(name)) {
                    throw new IllegalArgumentException("path template: \"" + text
                            + "\" has an empty or repeated segment name \"" + name + "\"");
                }
                names.add(name);
            }
        }
        return new PathTemplate(text, List.copyOf(segments), List.copyOf(names));
    }

    /** Returns the names of the variable segments, in path order. */
    public List<String> names() {
        return names;
    }

    /** Returns the parameters when {@code path} matches, otherwise {@code null}. */
    public PathParams match(String path) {
        List<String> actual = split(path);
        if (actual.size() != segments.size()) {
            return null;
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String expected = segments.get(i);
            String value = actual.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                if (value.isEmpty()) {
                    return null;
                }
                values.put(expected.substring(1, expected.length() - 1), value);
            } else if (!expected.equals(value)) {
                return null;
            }
        }
        return new PathParams(values);
    }

    /** Splits "/a/b/" into [a, b]; one trailing slash is optional, inner empty segments stay. */
    private static List<String> split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("/", -1));
    }

    @Override
    public String toString() {
        return text;
    }
}
