package io.ssewatch.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
 * A Server-Sent Events stream read on its own thread into a queue of events, for tests.
 * Comments such as {@code : ping} are skipped. Opening waits only for the response headers.
 */
final class SseStream implements AutoCloseable {

    /** One event; {@code name} is {@code message} when the event has no {@code event:} line. */
    record Event(String name, String id, String data) {
    }

    private static final Event END = new Event("", null, null);

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;

    private SseStream(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::readEvents, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends a GET and returns once the response headers have arrived. */
    static SseStream open(HttpClient client, URI uri, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        return new SseStream(client.send(request, HttpResponse.BodyHandlers.ofInputStream()));
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** Returns the next event, or throws when none arrives in time or the stream ended. */
    Event next(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + timeout.toMillis() + " ms");
        }
        if (event == END) {
            events.add(END);
            throw new AssertionError("the stream ended instead of sending an event");
        }
        return event;
    }

    /** Returns the next event with one of {@code names}, skipping others, within the time. */
    Event next(Duration timeout, String... names) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Event> skipped = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no event named " + List.of(names) + " within "
                        + timeout.toMillis() + " ms; skipped " + skipped);
            }
            Event event = next(Duration.ofNanos(left));
            if (List.of(names).contains(event.name())) {
                return event;
            }
            skipped.add(event);
        }
    }

    private void readEvents() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = "message";
            String id = null;
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(name, id, data.toString()));
                    }
                    name = "message";
                    data = null;
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    String value = line.substring(5);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
            }
        } catch (IOException e) {
            // The test closed the stream, or the server cut it; either way it has ended.
        } finally {
            events.add(END);
        }
    }

    /** Returns whether the server ended the stream within the time. */
    boolean endsWithin(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Event event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event == END) {
                events.add(END);
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
