package io.ssewatch.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * One frame of an SSE stream as the test client received it: the raw text and its fields,
 * parsed by the WHATWG rules for the LF line endings the server writes.
 *
 * @param raw the frame's text including its closing blank line
 * @param event the {@code event:} value, or {@code null}
 * @param id the {@code id:} value, or {@code null}
 * @param retry the {@code retry:} value, or {@code null}
 * @param data the {@code data:} lines joined with LF, or {@code null} when there were none
 * @param comments the comment lines, without the leading colon and space
 */
public record SseEvent(String raw, String event, String id, String retry, String data,
        List<String> comments) {

    /** Parses one frame. */
    public static SseEvent parse(String raw) {
        String event = null;
        String id = null;
        String retry = null;
        StringBuilder data = null;
        List<String> comments = new ArrayList<>();
        for (String line : raw.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith(":")) {
                comments.add(line.startsWith(": ") ? line.substring(2) : line.substring(1));
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (name) {
                case "event" -> event = value;
                case "id" -> id = value;
                case "retry" -> retry = value;
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
                default -> {
                }
            }
        }
        return new SseEvent(raw, event, id, retry, data == null ? null : data.toString(),
                List.copyOf(comments));
    }

    /** Returns whether the frame has only comments, like a ping. */
    public boolean isCommentOnly() {
        return event == null && id == null && retry == null && data == null;
    }

    /** Returns whether the frame dispatches an event in a browser (it has data). */
    public boolean isDispatched() {
        return data != null;
    }
}
