package io.ssewatch.examples.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The control endpoint of a server that the load tool runs in a separate process with
 * {@code --serve}: the client process drives changes and reads figures through it.
 *
 * <p>A line protocol on one TCP connection to 127.0.0.1, with Nagle's algorithm off, so that
 * a change costs one loopback round trip and little CPU. Each request is one line, and so is
 * each response:
 * <ul>
 *   <li>{@code describe}: {@code host=H port=P path=/...?watch=true contiguous=B pid=N}
 *   <li>{@code next-change-id}: the id the next change will have
 *   <li>{@code change INDEX MICROS}: commits a change and returns its id
 *   <li>{@code stats}: {@code heap=B cpu=NS} (heap after GC, CPU of all threads), and
 *       {@code snapshots= gets= follows=} when the server has a store
 *   <li>{@code stop}: {@code stopping}, and the server process ends
 * </ul>
 * A failed request gets a line that starts with {@code error }.
 */
final class ControlServer implements AutoCloseable {

    private final LoadTarget target;
    private final ServerSocket listener;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);

    ControlServer(LoadTarget target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        this.thread = new Thread(this::serve, "load-control");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** Waits until a client sends {@code stop} or the timeout passes. */
    void awaitStop(long millis) throws InterruptedException {
        stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    private void serve() {
        while (stopped.getCount() > 0) {
            try (Socket socket = listener.accept()) {
                socket.setTcpNoDelay(true);
                BufferedReader in = new BufferedReader(new InputStreamReader(
                        socket.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = socket.getOutputStream();
                String line;
                while ((line = in.readLine()) != null) {
                    out.write((respond(line) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private String respond(String line) {
        String[] words = line.trim().split(" ");
        try {
            switch (words[0]) {
                case "describe" -> {
                    InetSocketAddress address = target.address();
                    return "host=" + address.getAddress().getHostAddress() + " port="
                            + address.getPort() + " path=" + target.watchPath() + " contiguous="
                            + target.contiguousIds() + " pid=" + ProcessHandle.current().pid();
                }
                case "next-change-id" -> {
                    return Long.toString(target.nextChangeId());
                }
                case "change" -> {
                    return Long.toString(target.change(Integer.parseInt(words[1]),
                            Long.parseLong(words[2])));
                }
                case "stats" -> {
                    LoadTarget.StoreReads reads = target.storeReads();
                    return "heap=" + LoadTool.heapAfterGc() + " cpu=" + LoadTool.threadCpuNanos()
                            + (reads == null ? "" : " snapshots=" + reads.snapshots() + " gets="
                                    + reads.gets() + " follows=" + reads.follows());
                }
                case "stop" -> {
                    stopped.countDown();
                    return "stopping";
                }
                default -> {
                    return "error request \"" + line + "\" is unknown (expected: describe, "
                            + "next-change-id, change INDEX MICROS, stats or stop)";
                }
            }
        } catch (Exception e) {
            return "error " + e;
        }
    }

    /** Parses the {@code key=value} words of a response. */
    static Map<String, String> words(String response) {
        Map<String, String> values = new HashMap<>();
        for (String word : response.split(" ")) {
            int equals = word.indexOf('=');
            if (equals > 0) {
                values.put(word.substring(0, equals), word.substring(equals + 1));
            }
        }
        return values;
    }

    @Override
    public void close() {
        stopped.countDown();
        try {
            listener.close();
        } catch (IOException e) {
            // The listener is gone either way.
        }
    }
}
