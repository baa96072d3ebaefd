package io.ssewatch.client.internal;

import java.nio.ByteBuffer;

/**
 * An incremental parser of a {@code text/event-stream} body by the WHATWG HTML rules for
 * server-sent events.
 *
 * <p>Bytes may arrive in chunks of any size, split anywhere, including inside a multibyte
 * UTF-8 character or between the CR and LF of a CRLF pair. The parser:
 *
 * <ul>
 *   <li>decodes UTF-8 with {@link Utf8Decoder}, turning invalid sequences into U+FFFD, and
 *       drops one U+FEFF byte order mark at the very start of the stream;
 *   <li>ends lines at CR, LF or CRLF, and at nothing else (U+2028 and U+0085 are ordinary
 *       characters);
 *   <li>reads {@code field: value} lines, removing one space after the colon; a line without
 *       a colon is a field with an empty value; a line that starts with a colon is a comment;
 *   <li>joins {@code data} lines with LF; sets the event type from {@code event}; ignores an
 *       {@code id} that contains U+0000; takes {@code retry} only when it is all ASCII digits;
 *       ignores any other field name (names are case-sensitive);
 *   <li>dispatches at a blank line: it sets the last event ID, and fires an event only when
 *       the data buffer is not empty.
 * </ul>
 *
 * <p>An event that the stream ends in the middle of is never dispatched, so a caller that
 * abandons the parser at the end of a connection loses nothing it should have received.
 *
 * <p>One deliberate difference: WHATWG starts the last event ID buffer of each connection
 * empty, so a reconnected stream whose first frame has no {@code id:} would reset the
 * resume cursor. This parser starts the buffer at the ID given to the constructor, which is
 * the cursor that the connection resumed from.
 *
 * <p>Not thread-safe: feed one parser from one thread at a time. Handler methods run on the
 * thread that calls {@link #feed}, in stream order.
 */
public final class SseParser {

    /** Receives what the parser reads, in stream order. */
    public interface Handler {

        /** Receives an event: a blank line ended a frame with at least one data line. */
        void onEvent(SseEvent event);

        /**
         * Reports a blank line that ended a frame without data, such as an {@code id:}-only
         * frame, a ping comment or a lone {@code retry:}. No event fires, but the last event
         * ID was set from the frame's {@code id:} field, if it had one.
         */
        default void onEmptyDispatch(String lastEventId) {
        }

        /** Receives a valid {@code retry:} value, in milliseconds, when its line is read. */
        default void onRetry(long millis) {
        }

        /** Receives a comment line without its leading colon and one optional space. */
        default void onComment(String text) {
        }
    }

    private static final int BYTE_ORDER_MARK = 0xFEFF;
    /** Buffers that grew past this many chars for a large event are dropped afterwards. */
    private static final int RETAINED_CAPACITY = 64 * 1024;

    private final Handler handler;
    private final Utf8Decoder decoder = new Utf8Decoder();
    private final Utf8Decoder.CodePointSink sink = this::acceptCodePoint;
    private StringBuilder line = new StringBuilder();
    private StringBuilder data = new StringBuilder();
    private String eventType = "";
    private String lastEventIdBuffer;
    private String lastEventId;
    private boolean startOfStream = true;
    private boolean afterCarriageReturn;

    /** Creates a parser for a new stream with no last event ID. */
    public SseParser(Handler handler) {
        this(handler, "");
    }

    /**
     * Creates a parser for a stream that resumes from {@code lastEventId}, which stays the
     * last event ID until the stream sets another.
     */
    public SseParser(Handler handler, String lastEventId) {
        this.handler = handler;
        this.lastEventIdBuffer = lastEventId;
        this.lastEventId = lastEventId;
    }

    /** Parses the remaining bytes of {@code bytes} and advances its position to the limit. */
    public void feed(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            decoder.decode(bytes.get(), sink);
        }
    }

    /** Parses {@code length} bytes of {@code bytes} from {@code offset}. */
    public void feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            decoder.decode(bytes[i], sink);
        }
    }

    /**
     * Returns the last event ID: the {@code id:} value that the most recent dispatch took,
     * or the ID given to the constructor.
     */
    public String lastEventId() {
        return lastEventId;
    }

    private void acceptCodePoint(int codePoint) {
        if (startOfStream) {
            startOfStream = false;
            if (codePoint == BYTE_ORDER_MARK) {
                return;
            }
        }
        if (afterCarriageReturn) {
            afterCarriageReturn = false;
            if (codePoint == '\n') {
                // The LF of a CRLF pair: the CR already ended the line.
                return;
            }
        }
        if (codePoint == '\r') {
            afterCarriageReturn = true;
            endLine();
        } else if (codePoint == '\n') {
            endLine();
        } else {
            line.appendCodePoint(codePoint);
        }
    }

    private void endLine() {
        if (line.length() == 0) {
            dispatch();
            return;
        }
        int colon = line.indexOf(":");
        if (colon == 0) {
            handler.onComment(line.substring(valueStart(1)));
        } else if (colon < 0) {
            processField(line.toString(), line.length());
        } else {
            processField(line.substring(0, colon), valueStart(colon + 1));
        }
        line = cleared(line);
    }

    /** Returns the index where a value starts after {@code afterColon}, past one space. */
    private int valueStart(int afterColon) {
        if (afterColon < line.length() && line.charAt(afterColon) == ' ') {
            return afterColon + 1;
        }
        return afterColon;
    }

    private void processField(String name, int valueStart) {
        switch (name) {
            case "event":
                eventType = line.substring(valueStart);
                break;
            case "data":
                data.append(line, valueStart, line.length()).append('\n');
                break;
            case "id":
                String id = line.substring(valueStart);
                if (id.indexOf('\0') < 0) {
                    lastEventIdBuffer = id;
                }
                break;
            case "retry":
                processRetry(line.substring(valueStart));
                break;
            default:
                break;
        }
    }

    private void processRetry(String value) {
        if (value.isEmpty()) {
            return;
        }
        long millis = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return;
            }
            // Saturate instead of overflowing: a delay of 2^63 ms is already forever.
            millis = millis > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : millis * 10 + (c - '0');
        }
        handler.onRetry(millis);
    }

    private void dispatch() {
        lastEventId = lastEventIdBuffer;
        if (data.length() == 0) {
            eventType = "";
            handler.onEmptyDispatch(lastEventId);
            return;
        }
        data.setLength(data.length() - 1);
        String type = eventType.isEmpty() ? "message" : eventType;
        SseEvent event = new SseEvent(type, data.toString(), lastEventId);
        data = cleared(data);
        eventType = "";
        handler.onEvent(event);
    }

    private static StringBuilder cleared(StringBuilder buffer) {
        if (buffer.capacity() > RETAINED_CAPACITY) {
            return new StringBuilder();
        }
        buffer.setLength(0);
        return buffer;
    }
}
