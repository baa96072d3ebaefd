package io.ssewatch.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal HTTP/1.1 client over a plain socket that reads an SSE response incrementally and
 * hands out its frames one at a time, with bounded waits.
 *
 * <p>It sees the wire as it is: the status line, every header, chunked framing decoded, and
 * the exact text of each frame. It can close the connection with a FIN ({@link #close}) or
 * a reset ({@link #reset}), and it can stop reading to act as a slow consumer.
 */
public final class SseTestClient implements AutoCloseable {

    /** The default bound of every wait. */
    public static final Duration WAIT = Duration.ofSeconds(10);
    /** The socket receive buffer that {@link #getWithoutReading} requests, in bytes. */
    public static final int STALLED_RECEIVE_BUFFER = 8192;
    private static final Object END = new Object();

    private final Socket socket;
    private final int status;
    private final Map<String, List<String>> headers;
    private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
    private final byte[] body;
    private volatile Throwable readFailure;
    private volatile boolean ended;

    private SseTestClient(Socket socket, int status, Map<String, List<String>> headers,
            byte[] body) {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /**
     * Sends {@code GET pathAndQuery} to 127.0.0.1 and reads the status and headers. A 200
     * {@code text/event-stream} response is then read in the background; any other response
     * body is read completely.
     *
     * @param extraHeaders header lines such as {@code "Last-Event-ID: 5-abc"}
     */
    public static SseTestClient get(int port, String pathAndQuery, String... extraHeaders)
            throws IOException {
        return open(port, "GET", pathAndQuery, Reading.BACKGROUND, extraHeaders);
    }

    /**
     * Like {@link #get} but reads the stream from the socket one byte per read call, so that
     * every frame arrives split at every possible point, inside multi-byte characters too.
     */
    public static SseTestClient getByteByByte(int port, String pathAndQuery,
            String... extraHeaders) throws IOException {
        return open(port, "GET", pathAndQuery, Reading.BYTE_BY_BYTE, extraHeaders);
    }

    /**
     * Like {@link #get} but does not read the stream until {@link #startReading}, and requests
     * a small socket receive buffer ({@value #STALLED_RECEIVE_BUFFER} bytes), so that the
     * server's writes stall soon, as they do for a client that stopped reading.
     */
    public static SseTestClient getWithoutReading(int port, String pathAndQuery,
            String... extraHeaders) throws IOException {
        return open(port, "GET", pathAndQuery, Reading.LATER, extraHeaders);
    }

    /**
     * Sends a request without a body, with any method, and reads the response like
     * {@link #get}.
     */
    public static SseTestClient request(int port, String method, String pathAndQuery,
            String... extraHeaders) throws IOException {
        String[] headers = extraHeaders;
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            headers = Arrays.copyOf(extraHeaders, extraHeaders.length + 1);
            headers[extraHeaders.length] = "Content-Length: 0";
        }
        return open(port, method, pathAndQuery, Reading.BACKGROUND, headers);
    }

    private static SseTestClient open(int port, String method, String pathAndQuery,
            Reading reading, String... extraHeaders) throws IOException {
        Socket socket = new Socket();
        if (reading == Reading.LATER) {
            socket.setReceiveBufferSize(STALLED_RECEIVE_BUFFER);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
        socket.setSoTimeout((int) WAIT.toMillis() * 3);
        InputStream in = reading == Reading.BYTE_BY_BYTE ? socket.getInputStream()
                : new BufferedInputStream(socket.getInputStream());
        return exchange(socket, in, port, method, pathAndQuery, reading, extraHeaders);
    }

    /** Sends one request on an open connection and reads the response head. */
    private static SseTestClient exchange(Socket socket, InputStream in, int port, String method,
            String pathAndQuery, Reading reading, String... extraHeaders) throws IOException {
        StringBuilder request = new StringBuilder(method + " " + pathAndQuery + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n");
        for (String header : extraHeaders) {
            request.append(header).append("\r\n");
        }
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();

        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new IOException("connection closed before the status line");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
        }
        InputStream content = bodyStream(in, headers);
        String type = first(headers, "content-type");
        boolean stream = status == 200 && type != null && type.startsWith("text/event-stream")
                && first(headers, "content-length") == null;
        if (!stream) {
            boolean noBody = "HEAD".equals(method) || status == 204 || status == 304;
            byte[] body = noBody ? new byte[0] : content.readAllBytes();
            SseTestClient client = new SseTestClient(socket, status, headers, body);
            client.connection = in;
            client.port = port;
            client.splitFrames(body);
            client.frames.add(END);
            return client;
        }
        SseTestClient client = new SseTestClient(socket, status, headers, null);
        client.connection = in;
        client.port = port;
        client.reader = content;
        client.readSize = reading == Reading.BYTE_BY_BYTE ? 1 : 8192;
        if (reading != Reading.LATER) {
            client.startReading();
        }
        return client;
    }

    private InputStream connection;
    private int port;
    private InputStream reader;
    private int readSize;
    private Thread readerThread;

    /** Starts the background reader of a client made by {@link #getWithoutReading}. */
    public void startReading() {
        InputStream content = reader;
        readerThread = new Thread(() -> readFrames(content), "sse-test-client-reader");
        readerThread.setDaemon(true);
        readerThread.start();
    }

    /**
     * Sends another GET on this connection, as a keep-alive client does, once the server has
     * ended this response with a complete body. Fails when the body was cut short.
     *
     * @return a client for the new response; it shares this client's socket
     */
    public SseTestClient getAgain(String pathAndQuery, String... extraHeaders)
            throws IOException, InterruptedException {
        awaitEnd();
        if (readerThread != null) {
            readerThread.join(WAIT.toMillis());
        }
        if (reader instanceof ChunkedInputStream chunked) {
            assertThat(chunked.isComplete()).as("the stream ended with the last chunk, %s",
                    readFailure == null ? "not an error" : readFailure).isTrue();
        }
        return exchange(socket, connection, port, "GET", pathAndQuery, Reading.BACKGROUND,
                extraHeaders);
    }

    private void readFrames(InputStream content) {
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        byte[] buffer = new byte[readSize];
        try {
            int n;
            while ((n = content.read(buffer)) >= 0) {
                pending.write(buffer, 0, n);
                byte[] bytes = pending.toByteArray();
                int consumed = splitFrames(bytes);
                pending.reset();
                pending.write(bytes, consumed, bytes.length - consumed);
            }
        } catch (IOException e) {
            readFailure = e;
        } finally {
            frames.add(END);
        }
    }

    /** Queues every complete frame in {@code bytes}; returns how many bytes were used. */
    private int splitFrames(byte[] bytes) {
        int start = 0;
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
                frames.add(new String(bytes, start, i + 2 - start, StandardCharsets.UTF_8));
                start = i + 2;
                i++;
            }
        }
        return start;
    }

    public int status() {
        return status;
    }

    /** Returns the first value of a response header, or {@code null}. */
    public String header(String name) {
        return first(headers, name.toLowerCase(Locale.ROOT));
    }

    /** Returns every response header, names in lower case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** Returns the body of a response that was not a stream. */
    public String body() {
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
    }

    /** Returns the next frame's raw text, failing after {@link #WAIT}. */
    public String nextFrame() throws InterruptedException {
        Object next = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            fail("no SSE frame within " + WAIT);
        }
        if (next == END) {
            frames.add(END);
            fail("the stream ended instead of sending another frame"
                    + (readFailure != null ? " (" + readFailure + ")" : ""));
        }
        return (String) next;
    }

    /**
     * Returns the next frame's raw text, or {@code null} when none arrives within
     * {@code timeout} or the stream has ended.
     */
    public String pollFrame(Duration timeout) throws InterruptedException {
        Object next = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (next == END) {
            frames.add(END);
            ended = true;
            return null;
        }
        return (String) next;
    }

    /** Returns whether {@link #pollFrame} has seen the end of the stream. */
    public boolean isEnded() {
        return ended;
    }

    /** Returns the next frame, parsed. */
    public SseEvent next() throws InterruptedException {
        return SseEvent.parse(nextFrame());
    }

    /** Returns the next frame that is not only a comment, skipping pings. */
    public SseEvent nextEvent() throws InterruptedException {
        while (true) {
            SseEvent event = next();
            if (!event.isCommentOnly()) {
                return event;
            }
        }
    }

    /** Checks that no frame other than pings arrives within {@code quiet}. */
    public void assertNoEvent(Duration quiet) throws InterruptedException {
        long deadline = System.nanoTime() + quiet.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Object next = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            if (next == END) {
                frames.add(END);
                return;
            }
            SseEvent event = SseEvent.parse((String) next);
            assertThat(event.isCommentOnly()).as("unexpected frame: %s", event.raw()).isTrue();
        }
    }

    /** Waits until the server ends the stream, skipping frames, and fails after the wait. */
    public void awaitEnd() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Object next = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                fail("the server did not end the stream within " + WAIT);
            }
            if (next == END) {
                frames.add(END);
                return;
            }
        }
    }

    /** How the body of a stream is read. */
    private enum Reading {
        BACKGROUND, BYTE_BY_BYTE, LATER
    }

    /** Closes the connection with a FIN. */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Closes the connection with a TCP reset. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static InputStream bodyStream(InputStream in, Map<String, List<String>> headers) {
        String encoding = first(headers, "transfer-encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return new ChunkedInputStream(in);
        }
        String length = first(headers, "content-length");
        if (length != null) {
            return new LimitedInputStream(in, Long.parseLong(length));
        }
        return in;
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Decodes HTTP/1.1 chunked transfer coding. */
    private static final class ChunkedInputStream extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;
        private volatile boolean complete;

        ChunkedInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String sizeLine = readLine(in);
                while (sizeLine != null && sizeLine.isEmpty()) {
                    sizeLine = readLine(in);
                }
                if (sizeLine == null) {
                    done = true;
                    return -1;
                }
                int semicolon = sizeLine.indexOf(';');
                left = Long.parseLong(semicolon < 0 ? sizeLine.trim()
                        : sizeLine.substring(0, semicolon).trim(), 16);
                if (left == 0) {
                    skipTrailer();
                    done = true;
                    complete = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                done = true;
                return -1;
            }
            left -= n;
            return n;
        }

        /** Returns whether the body ended with the last chunk rather than a closed socket. */
        boolean isComplete() {
            return complete;
        }

        /** Reads the trailer fields after the last chunk, up to the empty line that ends them. */
        private void skipTrailer() throws IOException {
            String line;
            do {
                line = readLine(in);
            } while (line != null && !line.isEmpty());
        }
    }

    /** Reads at most a fixed number of bytes. */
    private static final class LimitedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        LimitedInputStream(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
