package io.ssewatch.examples;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium driven over the Chrome DevTools Protocol, with the JDK's WebSocket client.
 *
 * <p>The browser listens for DevTools only on 127.0.0.1, on a port it picks and writes to
 * {@code DevToolsActivePort} in its fresh profile directory. Every protocol call waits at most
 * {@link #WAIT}. {@link #close} stops the browser by its process id and deletes the profile.
 * Console messages and uncaught page errors are kept for failure messages. Not thread-safe.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
    static final Duration WAIT = Duration.ofSeconds(20);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> console = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private WebSocket socket;

    private HeadlessChromium(Process process, Path profile) {
        this.process = process;
        this.profile = profile;
    }

    /**
     * Starts Chromium with a blank page and connects to that page. The browser's own output
     * goes to {@code log}.
     */
    static HeadlessChromium launch(Path executable, Path log) throws Exception {
        Path profile = Files.createTempDirectory("sse-watch-chromium-");
        List<String> command = List.of(executable.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--window-size=1000,470", "about:blank");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        HeadlessChromium browser = new HeadlessChromium(process, profile);
        try {
            browser.connect(log);
            return browser;
        } catch (Exception | Error e) {
            browser.close();
            throw e;
        }
    }

    private void connect(Path log) throws Exception {
        Path portFile = profile.resolve("DevToolsActivePort");
        await("Chromium writes " + portFile + " (its output is in " + log + ")")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !process.isAlive() || Files.exists(portFile)
                        && Files.readAllLines(portFile).size() >= 2);
        if (!process.isAlive()) {
            throw new IllegalStateException("Chromium exited with status " + process.exitValue()
                    + " before DevTools started; its output is in " + log);
        }

        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
        HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/json/list")).timeout(WAIT).build();
        JsonNode targets = MAPPER.readTree(http.send(list, BodyHandlers.ofString()).body());
        String pageSocket = null;
        for (JsonNode target : targets) {
            if ("page".equals(target.path("type").asText())) {
                pageSocket = target.path("webSocketDebuggerUrl").asText();
            }
        }
        if (pageSocket == null) {
            throw new IllegalStateException("Chromium lists no page target: " + targets);
        }

        socket = http.newWebSocketBuilder()
                .connectTimeout(WAIT)
                .buildAsync(URI.create(pageSocket), new Listener())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        call("Runtime.enable", MAPPER.createObjectNode());
        call("Page.enable", MAPPER.createObjectNode());
    }

    /** Loads {@code uri} in the page; returns when the navigation has started. */
    void navigate(URI uri) throws Exception {
        call("Page.navigate", MAPPER.createObjectNode().put("url", uri.toString()));
    }

    /** Evaluates a JavaScript expression in the page and returns its value as JSON. */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", MAPPER.createObjectNode()
                .put("expression", expression)
                .put("returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("evaluating " + expression + " threw: "
                    + result.path("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Writes a PNG screenshot of the page's viewport to {@code file}. */
    void screenshot(Path file) throws Exception {
        JsonNode result = call("Page.captureScreenshot",
                MAPPER.createObjectNode().put("format", "png"));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(result.path("data").asText()));
    }

    /** Returns the page's console messages and uncaught errors so far. */
    List<String> console() {
        return new ArrayList<>(console);
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = nextId.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = MAPPER.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(MAPPER.writeValueAsString(message), true)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        try {
            return answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("DevTools call " + method + " got no answer within "
                    + WAIT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IllegalStateException("DevTools call " + method + " failed", e.getCause());
        } finally {
            pending.remove(id);
        }
    }

    private void dispatch(String text) {
        JsonNode message;
        try {
            message = MAPPER.readTree(text);
        } catch (IOException e) {
            console.add("unparsable DevTools message: " + text);
            return;
        }
        if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.get(message.path("id").asInt());
            if (answer == null) {
                return;
            }
            if (message.has("error")) {
                answer.completeExceptionally(
                        new IllegalStateException(message.path("error").toString()));
            } else {
                answer.complete(message.path("result"));
            }
            return;
        }
        String method = message.path("method").asText();
        JsonNode params = message.path("params");
        if (method.equals("Runtime.consoleAPICalled")) {
            console.add(params.path("type").asText() + ": " + params.path("args"));
        } else if (method.equals("Runtime.exceptionThrown")) {
            console.add("uncaught: " + params.path("exceptionDetails"));
        }
    }

    /** Stops the browser and its child processes and deletes the profile. Idempotent. */
    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        ExternalTools.stop(process);
        ExternalTools.deleteTree(profile);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                dispatch(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
