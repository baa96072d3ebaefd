package io.ssewatch.examples.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The control endpoint of a server that the load tool runs in a separate process with
 * {@code --serve}: the client process drives changes and reads figures through it.
 *
 * <p>Plain-text endpoints on 127.0.0.1, for the load tool only:
 * {@code GET /describe}, {@code GET /next-change-id},
 * {@code POST /change?index=I&micros=T} (returns the change id),
 * {@code GET /stats} (heap after GC, CPU of all threads, store reads) and
 * {@code POST /stop}. Requests run one at a time on one thread.
 */
final class ControlServer implements AutoCloseable {

    private final LoadTarget target;
    private final HttpServer http;
    private final CountDownLatch stopped = new CountDownLatch(1);

    ControlServer(LoadTarget target) throws IOException {
        this.target = target;
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                16);
        http.createContext("/", this::handle);
        http.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
    }

    /** Waits until a client posts {@code /stop} or the timeout passes. */
    void awaitStop(long millis) throws InterruptedException {
        stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        int status = 200;
        try {
            body = answer(exchange.getRequestURI().getPath(),
                    query(exchange.getRequestURI().getRawQuery()));
        } catch (IllegalArgumentException e) {
            status = 400;
            body = e.getMessage();
        } catch (Exception e) {
            status = 500;
            body = String.valueOf(e);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String answer(String path, Map<String, String> query) throws Exception {
        switch (path) {
            case "/describe" -> {
                InetSocketAddress address = target.address();
                return "host=" + address.getAddress().getHostAddress() + "\nport="
                        + address.getPort() + "\npath=" + target.watchPath() + "\ncontiguous="
                        + target.contiguousIds() + "\npid=" + ProcessHandle.current().pid()
                        + "\n";
            }
            case "/next-change-id" -> {
                return Long.toString(target.nextChangeId());
            }
            case "/change" -> {
                int index = Integer.parseInt(required(query, "index"));
                long micros = Long.parseLong(required(query, "micros"));
                return Long.toString(target.change(index, micros));
            }
            case "/stats" -> {
                LoadTarget.StoreReads reads = target.storeReads();
                return "heap=" + LoadTool.heapAfterGc() + "\ncpu=" + LoadTool.threadCpuNanos()
                        + (reads == null ? "" : "\nsnapshots=" + reads.snapshots() + "\ngets="
                                + reads.gets() + "\nfollows=" + reads.follows()) + "\n";
            }
            case "/stop" -> {
                stopped.countDown();
                return "stopping";
            }
            default -> throw new IllegalArgumentException("path: \"" + path + "\" is unknown "
                    + "(expected: /describe, /next-change-id, /change, /stats or /stop)");
        }
    }

    private static String required(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is missing (expected: ?" + name + "=N)");
        }
        return value;
    }

    static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                values.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return values;
    }

    /** Parses the {@code key=value} lines of a control answer. */
    static Map<String, String> lines(String body) {
        Map<String, String> values = new HashMap<>();
        for (String line : body.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return values;
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
