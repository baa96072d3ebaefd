package io.ssewatch.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted SSE server for client tests, on the JDK's HttpServer at 127.0.0.1 with an
 * ephemeral port.
 *
 * <p>Each request becomes an {@link Exchange} in a queue. The test takes it with
 * {@link #nextExchange()} and writes the response from the test thread, frame by frame: the
 * handler only queues the exchange and returns, and HttpServer keeps an exchange open until
 * it is closed.
 */
final class FakeSseServer implements AutoCloseable {

    private final HttpServer server;
    private final BlockingQueue<Exchange> pending = new LinkedBlockingQueue<>();
    private final List<Exchange> all = new CopyOnWriteArrayList<>();

    FakeSseServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Exchange recorded = new Exchange(exchange, System.nanoTime());
            all.add(recorded);
            pending.add(recorded);
        });
        server.start();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    /** Returns the next request, waiting up to 5 seconds for it. */
    Exchange nextExchange() throws InterruptedException {
        Exchange exchange = pending.poll(5, TimeUnit.SECONDS);
        assertThat(exchange).as("a request to the fake server within 5 s").isNotNull();
        return exchange;
    }

    int requestCount() {
        return all.size();
    }

    @Override
    public void close() {
        for (Exchange exchange : all) {
            exchange.exchange.close();
        }
        server.stop(0);
    }

    /** One request and its scripted response. */
    static final class Exchange {
        final HttpExchange exchange;
        final long receivedNanos;

        Exchange(HttpExchange exchange, long receivedNanos) {
            this.exchange = exchange;
            this.receivedNanos = receivedNanos;
        }

        /** Returns a request header, or null. */
        String header(String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }

        String query() {
            return exchange.getRequestURI().getRawQuery();
        }

        /** Responds with a complete JSON body and ends the exchange. */
        void respond(int status, String json) {
            respond(status, json, Map.of());
        }

        /** Responds with a complete JSON body and extra headers, and ends the exchange. */
        void respond(int status, String json, Map<String, String> headers) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            headers.forEach(exchange.getResponseHeaders()::set);
            try {
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            exchange.close();
        }

        /** Sends the headers of an event stream; the body follows with {@link #send}. */
        void startStream() {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            try {
                exchange.sendResponseHeaders(200, 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes and flushes stream text. */
        void send(String text) {
            try {
                write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes and flushes raw bytes. */
        void sendBytes(byte[] bytes) {
            try {
                write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes a comment and returns false when the write fails: the client has gone. */
        boolean probe() {
            try {
                write(": probe\n\n".getBytes(StandardCharsets.UTF_8));
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        /** Ends the stream cleanly, as a server does at the end of a stream's lifetime. */
        void end() {
            exchange.close();
        }

        private void write(byte[] bytes) throws IOException {
            OutputStream body = exchange.getResponseBody();
            body.write(bytes);
            body.flush();
        }
    }
}
