package io.ssewatch.examples.load;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The resource bodies that the load tool writes, and the commit time they carry.
 *
 * <p>A body is compact JSON of an exact size: {@code {"id":..., "name":"load-t<time>",
 * "status":"online", "padding":"xxx..."}}. The name carries the commit time as 16 decimal
 * digits of microseconds on this JVM's {@link System#nanoTime()} clock, which is also a valid
 * volume name, so the same marker works through the example server's HTTP API. Only the
 * load tool's own JVM writes and reads the marker, so the clock needs no synchronization.
 */
final class Payloads {

    /** The smallest body that still has room for the id, the marker and the padding. */
    static final int MIN_BYTES = 96;

    /** The text in front of the commit time. */
    static final byte[] MARKER = "load-t".getBytes(StandardCharsets.US_ASCII);

    /** The number of digits of the commit time. */
    static final int TIME_DIGITS = 16;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Payloads() {
    }

    /** Returns the current time in microseconds on the clock of the markers. */
    static long nowMicros() {
        return System.nanoTime() / 1000;
    }

    /** Returns the id of the resource with this index, such as {@code r0000042}. */
    static String id(int index) {
        return String.format("r%07d", index);
    }

    /** Returns the volume or cluster name that carries a commit time. */
    static String name(long commitMicros) {
        return "load-t" + String.format("%0" + TIME_DIGITS + "d", commitMicros);
    }

    /** Returns a body of exactly {@code bytes} bytes of compact JSON. */
    static ObjectNode body(int index, long commitMicros, int bytes) {
        ObjectNode body = JSON.objectNode()
                .put("id", id(index))
                .put("name", name(commitMicros))
                .put("status", "online");
        int withoutPadding = body.toString().length() + ",\"padding\":\"\"".length();
        body.put("padding", "x".repeat(Math.max(0, bytes - withoutPadding)));
        return body;
    }

    /** Returns the body as UTF-8 bytes, as Jackson writes it. */
    static byte[] bodyBytes(int index, long commitMicros, int bytes) {
        return body(index, commitMicros, bytes).toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Returns the commit time in {@code data[from, to)}, or -1 when the data carries no
     * marker, as the seed resources of the example server do.
     */
    static long commitMicros(byte[] data, int from, int to) {
        int end = to - MARKER.length - TIME_DIGITS;
        outer:
        for (int i = from; i <= end; i++) {
            for (int j = 0; j < MARKER.length; j++) {
                if (data[i + j] != MARKER[j]) {
                    continue outer;
                }
            }
            long value = 0;
            for (int k = i + MARKER.length; k < i + MARKER.length + TIME_DIGITS; k++) {
                int digit = data[k] - '0';
                if (digit < 0 || digit > 9) {
                    return -1;
                }
                value = value * 10 + digit;
            }
            return value;
        }
        return -1;
    }
}
