package io.ssewatch.api.sse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * Encodes Server-Sent Events frames by the WHATWG HTML rules.
 *
 * <p>Frames are UTF-8, lines end with LF, and every frame ends with a blank line so that the
 * client dispatches it. A payload that contains CR, LF or CRLF becomes several {@code data:}
 * lines, which clients join with LF. Event names and ids must not contain CR, LF or NUL, and
 * the encoder rejects them rather than corrupt the stream. Stateless and thread-safe.
 */
public final class SseEncoder {

    private static final DateTimeFormatter PING_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final byte[] EVENT = ascii("event: ");
    private static final byte[] ID = ascii("id: ");
    private static final byte[] RETRY = ascii("retry: ");
    private static final byte[] DATA = ascii("data: ");
    private static final byte[] DATA_EMPTY = ascii("data:");
    private static final byte LF = '\n';
    private static final byte CR = '\r';

    private SseEncoder() {
    }

    /**
     * Encodes one event.
     *
     * @param name the event name, or {@code null} for the default {@code message}
     * @param id the event id, or {@code null} to leave the client's last event id unchanged
     * @param retryMillis the reconnection delay to announce, or a negative value for none
     * @param data the UTF-8 payload; may be empty, and may contain line breaks
     * @throws IllegalArgumentException when the name or id contains CR, LF or NUL, or the
     *     name is empty
     */
    public static byte[] event(String name, String id, long retryMillis, byte[] data) {
        byte[] nameBytes = name == null ? null : field("event name", name, false);
        byte[] idBytes = id == null ? null : field("event id", id, true);
        Buffer out = new Buffer(data.length + 64);
        if (nameBytes != null) {
            out.line(EVENT, nameBytes);
        }
        if (idBytes != null) {
            out.line(ID, idBytes);
        }
        if (retryMillis >= 0) {
            out.line(RETRY, ascii(Long.toString(retryMillis)));
        }
        appendData(out, data);
        out.put(LF);
        return out.toArray();
    }

    /** Encodes one event whose payload is a string. */
    public static byte[] event(String name, String id, long retryMillis, String data) {
        return event(name, id, retryMillis, data.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Encodes a frame with only an {@code id:} line. Clients take the id as their resume
     * cursor without dispatching an event, because the frame has no data.
     */
    public static byte[] idOnly(String id) {
        Buffer out = new Buffer(id.length() + 8);
        out.line(ID, field("event id", id, true));
        out.put(LF);
        return out.toArray();
    }

    /** Encodes a frame with only a {@code retry:} line. */
    public static byte[] retryOnly(long retryMillis) {
        if (retryMillis < 0) {
            throw new IllegalArgumentException("retryMillis: " + retryMillis + " (expected: >= 0)");
        }
        return ascii("retry: " + retryMillis + "\n\n");
    }

    /**
     * Encodes a comment. Clients ignore it; proxies see traffic. A comment with line breaks
     * becomes several comment lines.
     */
    public static byte[] comment(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Buffer out = new Buffer(bytes.length + 8);
        int start = 0;
        while (true) {
            int end = lineEnd(bytes, start);
            out.put((byte) ':');
            if (end > start) {
                out.put((byte) ' ');
            }
            out.put(bytes, start, end - start);
            out.put(LF);
            if (end == bytes.length) {
                break;
            }
            start = skipBreak(bytes, end);
        }
        out.put(LF);
        return out.toArray();
    }

    /** Encodes the heartbeat comment {@code : ping - <UTC timestamp with microseconds>}. */
    public static byte[] ping(Instant now) {
        return comment("ping - " + PING_TIME.format(now.truncatedTo(ChronoUnit.MICROS)));
    }

    private static void appendData(Buffer out, byte[] data) {
        int start = 0;
        while (true) {
            int end = lineEnd(data, start);
            if (end > start) {
                out.line(DATA, data, start, end - start);
            } else {
                out.line(DATA_EMPTY, data, start, 0);
            }
            if (end == data.length) {
                return;
            }
            start = skipBreak(data, end);
        }
    }

    /** Returns the index of the first CR or LF at or after {@code start}, or the length. */
    private static int lineEnd(byte[] bytes, int start) {
        for (int i = start; i < bytes.length; i++) {
            if (bytes[i] == LF || bytes[i] == CR) {
                return i;
            }
        }
        return bytes.length;
    }

    /** Returns the index after the line break at {@code at}, which treats CRLF as one break. */
    private static int skipBreak(byte[] bytes, int at) {
        if (bytes[at] == CR && at + 1 < bytes.length && bytes[at + 1] == LF) {
            return at + 2;
        }
        return at + 1;
    }

    private static byte[] field(String what, String value, boolean emptyAllowed) {
        if (value.isEmpty() && !emptyAllowed) {
            throw new IllegalArgumentException(what + " is empty (expected: at least one character)");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new IllegalArgumentException(what + ": \"" + printable(value)
                        + "\" contains " + describe(c) + " at index " + i
                        + " (expected: no CR, LF or NUL, which would break SSE framing)");
            }
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(char c) {
        if (c == '\r') {
            return "CR";
        }
        if (c == '\n') {
            return "LF";
        }
        return "NUL";
    }

    private static String printable(String value) {
        return value.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A growable byte array, smaller and faster than a ByteArrayOutputStream for this use. */
    private static final class Buffer {
        private byte[] bytes;
        private int size;

        Buffer(int capacity) {
            bytes = new byte[capacity];
        }

        void put(byte b) {
            ensure(1);
            bytes[size++] = b;
        }

        void put(byte[] src, int offset, int length) {
            ensure(length);
            System.arraycopy(src, offset, bytes, size, length);
            size += length;
        }

        void line(byte[] prefix, byte[] value) {
            line(prefix, value, 0, value.length);
        }

        void line(byte[] prefix, byte[] value, int offset, int length) {
            put(prefix, 0, prefix.length);
            put(value, offset, length);
            put(LF);
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        byte[] toArray() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }
}
