package io.ssewatch.examples.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server that the load tool starts in a child JVM with {@code --serve} and drives through
 * the child's {@link ControlServer}.
 *
 * <p>Running the server in its own process gives it its own file descriptors (each stream
 * takes one on each side) and makes its heap, heap histogram and CPU free of the client's.
 * The child runs with this JVM's options and class path, logs to a temporary file, and is
 * stopped through {@code /stop} at close, or destroyed by its process handle when it does
 * not exit within 15 seconds.
 */
final class ForkedTarget implements LoadTarget {

    static final String CONTROL_LINE = "load-tool: control ";

    private final String server;
    private Process process;
    private Socket control;
    private BufferedReader controlIn;
    private OutputStream controlOut;
    private Map<String, String> description;
    private Path log;

    ForkedTarget(String server) {
        this.server = server;
    }

    @Override
    public void start(LoadOptions options) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                LoadTool.class.getName(), "--serve", "--server", server,
                "--resources", Integer.toString(options.resources()),
                "--event-bytes", Integer.toString(options.eventBytes()),
                "--duration", "3600"));
        log = Files.createTempFile("load-server-" + server + "-", ".log");
        process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        int port = readControlPort();
        control = new Socket("127.0.0.1", port);
        control.setTcpNoDelay(true);
        controlIn = new BufferedReader(new InputStreamReader(control.getInputStream(),
                StandardCharsets.UTF_8));
        controlOut = control.getOutputStream();
        description = ControlServer.words(request("describe"));
    }

    private int readControlPort() throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(
                process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith(CONTROL_LINE)) {
                String address = line.substring(CONTROL_LINE.length()).split(" ")[0];
                Thread drain = new Thread(() -> drain(reader), "load-server-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            }
        }
        throw new IOException("the server process exited before it was ready; see " + log);
    }

    private static void drain(BufferedReader reader) {
        try {
            while (reader.readLine() != null) {
                // The child's progress lines are not needed; its log goes to a file.
            }
        } catch (IOException e) {
            // The child exited.
        }
    }

    /** Returns the child's process id. */
    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Sends one request line and returns the response line. */
    private synchronized String request(String line) throws IOException {
        controlOut.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        controlOut.flush();
        String response = controlIn.readLine();
        if (response == null || response.startsWith("error ")) {
            throw new IOException("control request \"" + line + "\" failed: " + response
                    + " (server log: " + log + ")");
        }
        return response;
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress(description.get("host"),
                Integer.parseInt(description.get("port")));
    }

    @Override
    public String watchPath() {
        return description.get("path");
    }

    @Override
    public boolean contiguousIds() {
        return Boolean.parseBoolean(description.get("contiguous"));
    }

    @Override
    public long nextChangeId() {
        try {
            return Long.parseLong(request("next-change-id"));
        } catch (Exception e) {
            throw new IllegalStateException("reading the next change id failed: " + e, e);
        }
    }

    @Override
    public long change(int index, long commitMicros) throws Exception {
        return Long.parseLong(request("change " + index + " " + commitMicros));
    }

    /** Returns the child's heap after GC, its CPU time and its store reads. */
    Map<String, String> stats() throws Exception {
        return ControlServer.words(request("stats"));
    }

    @Override
    public StoreReads storeReads() {
        try {
            Map<String, String> stats = stats();
            if (!stats.containsKey("snapshots")) {
                return null;
            }
            return new StoreReads(Long.parseLong(stats.get("snapshots")),
                    Long.parseLong(stats.get("gets")), Long.parseLong(stats.get("follows")));
        } catch (Exception e) {
            throw new IllegalStateException("reading the store counters failed: " + e, e);
        }
    }

    @Override
    public boolean inProcess() {
        return false;
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        try {
            request("stop");
            control.close();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (Exception e) {
            process.destroy();
        }
    }
}
