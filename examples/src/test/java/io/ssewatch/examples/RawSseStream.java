package io.ssewatch.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events stream read on its own thread as raw frames, for tests that compare the
 * bytes on the wire. A frame is everything up to and including the blank line that ends it
 * ({@code "\n\n"}), decoded as UTF-8 without any other change.
 */
final class RawSseStream implements AutoCloseable {

    /** Queued when the stream ends; real frames are never empty. */
    private static final String END = "";

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

    private RawSseStream(HttpResponse<InputStream> response) {
        this.response = response;
        Thread reader = new Thread(this::readFrames, "raw-sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends a GET and returns once the response headers have arrived. */
    static RawSseStream open(HttpClient client, URI uri, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        return new RawSseStream(client.send(request, HttpResponse.BodyHandlers.ofInputStream()));
    }

    HttpResponse<InputStream> response() {
        return response;
    }

    /**
     * Returns the next {@code count} frames that contain an {@code event:} line, skipping
     * comments such as pings and {@code id:}-only frames, whose timing depends on timers.
     * Throws when they do not all arrive within the time.
     */
    List<String> nextEvents(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> events = new ArrayList<>();
        while (events.size() < count) {
            String frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (frame == null || frame.isEmpty()) {
                throw new AssertionError("got " + events.size() + " of " + count + " events "
                        + (frame == null ? "within " + timeout.toMillis() + " ms"
                                : "before the stream ended") + ": " + events);
            }
            if (frame.startsWith("event:") || frame.contains("\nevent:")) {
                events.add(frame);
            }
        }
        return events;
    }

    private void readFrames() {
        try (InputStream in = response.body()) {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            int previous = -1;
            int b;
            while ((b = in.read()) != -1) {
                frame.write(b);
                if (b == '\n' && previous == '\n') {
                    frames.add(frame.toString(StandardCharsets.UTF_8));
                    frame.reset();
                    b = -1;
                }
                previous = b;
            }
        } catch (IOException e) {
            // The stream ended; nextEvents reports the missing frames.
        } finally {
            frames.add(END);
        }
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
