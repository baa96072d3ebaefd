package io.ssewatch.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Watches the example server with the npm {@code eventsource} package (the WHATWG
 * EventSource for Node), run as {@code src/test/node/watch.mjs} in a child process whose
 * JSON lines this test parses.
 */
class NodeEventSourceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path SCRIPT_DIR = Path.of("src", "test", "node");
    // The script exits by itself after this many seconds; the test stops it earlier.
    private static final int SCRIPT_MAX_SECONDS = 120;

    private ExampleServer server;
    private Process node;

    @AfterEach
    void stopAll() {
        if (node != null) {
            ExternalTools.stop(node);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void npmEventSource_receivesChangesAndResumes() throws Exception {
        Path executable = ExternalTools.requireOnPath("node", "Node.js 20 or later");
        if (!Files.isRegularFile(SCRIPT_DIR.resolve("node_modules/eventsource/package.json"))) {
            ExternalTools.missing("the npm package eventsource is not installed in "
                    + SCRIPT_DIR.toAbsolutePath() + " (expected: run npm ci there; .ci/run "
                    + "does)");
        }
        server = ExampleServer.start(ServerOptions.defaults().withPort(0));
        URI uri = server.baseUri().resolve(RestClient.volumesPath(server.seed()) + "?watch=true");
        ClientEvents events = new ClientEvents();
        Path log = Path.of("target", "node-client.log");
        Files.createDirectories(log.getParent());

        node = new ProcessBuilder(executable.toString(), "watch.mjs", uri.toString(),
                String.valueOf(SCRIPT_MAX_SECONDS))
                .directory(SCRIPT_DIR.toFile())
                .redirectError(log.toFile())
                .start();
        Thread reader = new Thread(() -> readLines(events), "node-client-reader");
        reader.setDaemon(true);
        reader.start();

        events.runScenario(server);
    }

    private void readLines(ClientEvents events) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode json = MAPPER.readTree(line);
                if (json.path("kind").asText().equals("event")) {
                    events.event(json.path("type").asText(), json.path("id").asText(),
                            json.path("data").asText());
                } else {
                    events.connection(line);
                }
            }
        } catch (IOException e) {
            if (node.isAlive()) {
                throw new UncheckedIOException("reading the Node client's output failed", e);
            }
        }
    }
}
