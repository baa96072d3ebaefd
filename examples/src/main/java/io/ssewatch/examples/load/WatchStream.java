package io.ssewatch.examples.load;

import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The client side of one watch stream: parses the HTTP/1.1 response (chunked or not) and the
 * event stream inside it, and checks the change events as they arrive.
 *
 * <p>Checks: the response is a 200; change ids, whose leading decimal number is taken as the
 * revision, only grow (a repeat counts as a duplicate); with contiguous ids, each change id
 * is the one after the previous one (a skip counts as a gap); no {@code unavailable} or other
 * unexpected event arrives; the server does not end the stream. Lines are kept only up to
 * {@link #LINE_LIMIT} bytes, enough for the commit-time marker near the start of a resource,
 * so that a large snapshot costs no memory here.
 *
 * <p>Used by one selector thread only.
 */
final class WatchStream {

    static final int LINE_LIMIT = 256;

    private enum Phase { STATUS, HEADERS, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, BODY, ENDED }

    private enum Kind { NONE, SNAPSHOT, CHANGE, OTHER }

    final int index;
    final SocketChannel channel;
    final long openedNanos;
    private final Listener loop;
    private final boolean contiguous;

    private Phase phase = Phase.STATUS;
    private boolean chunked;
    private long chunkRemaining;
    private final byte[] httpLine = new byte[LINE_LIMIT];
    private int httpLength;
    private final byte[] sseLine = new byte[LINE_LIMIT];
    private int sseLength;

    private Kind kind = Kind.NONE;
    private String otherEvent;
    private long eventId = -1;
    private long commitMicros = -1;

    long snapshotId = -1;
    long snapshotNanos;
    long lastId = -1;
    long received;
    long duplicates;
    long gaps;
    String error;
    boolean probe;

    WatchStream(int index, SocketChannel channel, Listener loop, boolean contiguous) {
        this.index = index;
        this.channel = channel;
        this.loop = loop;
        this.contiguous = contiguous;
        this.openedNanos = System.nanoTime();
    }

    boolean hasSnapshot() {
        return snapshotId >= 0;
    }

    boolean isEnded() {
        return phase == Phase.ENDED;
    }

    /** Consumes bytes read from the socket. */
    void onBytes(byte[] bytes, int length) {
        int i = 0;
        while (i < length && phase != Phase.ENDED) {
            switch (phase) {
                case STATUS, HEADERS, CHUNK_SIZE, CHUNK_END -> i = httpLine(bytes, i, length);
                case CHUNK_DATA -> {
                    int n = (int) Math.min(chunkRemaining, length - i);
                    sse(bytes, i, i + n);
                    i += n;
                    chunkRemaining -= n;
                    if (chunkRemaining == 0 && phase == Phase.CHUNK_DATA) {
                        phase = Phase.CHUNK_END;
                    }
                }
                case BODY -> {
                    sse(bytes, i, length);
                    i = length;
                }
                default -> i = length;
            }
        }
    }

    /** Records that the server closed the connection or it failed. */
    void onClosed(String reason) {
        if (phase != Phase.ENDED) {
            fail(reason);
        }
    }

    void fail(String reason) {
        if (error == null) {
            error = reason;
        }
        phase = Phase.ENDED;
    }

    private int httpLine(byte[] bytes, int from, int length) {
        int i = from;
        while (i < length) {
            byte b = bytes[i++];
            if (b == '\n') {
                int end = httpLength > 0 && httpLine[httpLength - 1] == '\r' ? httpLength - 1
                        : httpLength;
                httpLength = 0;
                onHttpLine(new String(httpLine, 0, end, StandardCharsets.ISO_8859_1));
                return i;
            }
            if (httpLength < LINE_LIMIT) {
                httpLine[httpLength++] = b;
            }
        }
        return i;
    }

    private void onHttpLine(String line) {
        switch (phase) {
            case STATUS -> {
                if (!line.startsWith("HTTP/1.1 200")) {
                    fail("response status \"" + line + "\" (expected: HTTP/1.1 200)");
                    return;
                }
                phase = Phase.HEADERS;
            }
            case HEADERS -> {
                if (line.isEmpty()) {
                    phase = chunked ? Phase.CHUNK_SIZE : Phase.BODY;
                } else if (line.regionMatches(true, 0, "transfer-encoding:", 0, 18)
                        && line.toLowerCase().contains("chunked")) {
                    chunked = true;
                }
            }
            case CHUNK_SIZE -> {
                int semicolon = line.indexOf(';');
                String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
                try {
                    chunkRemaining = Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    fail("chunk size \"" + line + "\" is malformed");
                    return;
                }
                if (chunkRemaining == 0) {
                    fail("the server ended the stream");
                } else {
                    phase = Phase.CHUNK_DATA;
                }
            }
            case CHUNK_END -> phase = Phase.CHUNK_SIZE;
            default -> {
            }
        }
    }

    private void sse(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to && phase != Phase.ENDED) {
            int lf = i;
            while (lf < to && bytes[lf] != '\n') {
                lf++;
            }
            int copy = Math.min(lf - i, LINE_LIMIT - sseLength);
            if (copy > 0) {
                System.arraycopy(bytes, i, sseLine, sseLength, copy);
                sseLength += copy;
            }
            if (lf == to) {
                return;
            }
            onSseLine();
            sseLength = 0;
            i = lf + 1;
        }
    }

    private void onSseLine() {
        if (sseLength == 0) {
            dispatch();
        } else if (startsWith("data:")) {
            if (commitMicros < 0 && kind == Kind.CHANGE) {
                commitMicros = Payloads.commitMicros(sseLine, 0, sseLength);
            }
        } else if (startsWith("id:")) {
            eventId = parseId();
        } else if (startsWith("event:")) {
            String name = new String(sseLine, 6, sseLength - 6, StandardCharsets.UTF_8).trim();
            switch (name) {
                case "snapshot" -> kind = Kind.SNAPSHOT;
                case "created", "updated", "deleted" -> kind = Kind.CHANGE;
                default -> {
                    kind = Kind.OTHER;
                    otherEvent = name;
                }
            }
        }
    }

    private void dispatch() {
        switch (kind) {
            case SNAPSHOT -> {
                snapshotId = eventId;
                lastId = Math.max(lastId, eventId);
                snapshotNanos = System.nanoTime();
                loop.onSnapshot(this);
            }
            case CHANGE -> onChange();
            case OTHER -> fail("unexpected \"" + otherEvent + "\" event");
            default -> {
            }
        }
        kind = Kind.NONE;
        eventId = -1;
        commitMicros = -1;
    }

    private void onChange() {
        if (eventId < 0) {
            fail("a change event without a numeric id");
            return;
        }
        if (eventId <= lastId) {
            duplicates++;
            return;
        }
        if (contiguous && lastId >= 0 && eventId != lastId + 1) {
            gaps += eventId - lastId - 1;
        }
        lastId = eventId;
        received++;
        loop.onChange(eventId, commitMicros);
    }

    private boolean startsWith(String prefix) {
        if (sseLength < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (sseLine[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Returns the leading decimal number of the id, or -1 when it has none. */
    private long parseId() {
        int i = 3;
        while (i < sseLength && sseLine[i] == ' ') {
            i++;
        }
        long value = 0;
        int digits = 0;
        for (; i < sseLength && digits < 18; i++, digits++) {
            int digit = sseLine[i] - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            value = value * 10 + digit;
        }
        return digits == 0 ? -1 : value;
    }

    /** Receives what a stream parses; called on the stream's selector thread. */
    interface Listener {

        /** The stream's snapshot has arrived. */
        void onSnapshot(WatchStream stream);

        /** A change event arrived; {@code commitMicros} is -1 when its data has no marker. */
        void onChange(long id, long commitMicros);
    }
}
