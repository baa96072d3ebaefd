package io.ssewatch.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ssewatch.testing.SseEvent;
import io.ssewatch.testing.SseTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Resumes a volume list watch with {@code curl -N} and compares its whole output with the
 * text the protocol prescribes. curl ends by itself through {@code --max-time}.
 */
class CurlTranscriptTest {

    private static final int CURL_MAX_SECONDS = 4;
    // curl's exit status when --max-time expires, which is how a watch always ends here.
    private static final int CURL_TIMED_OUT = 28;

    private ExampleServer server;
    private Process curl;

    @AfterEach
    void stopAll() {
        if (curl != null) {
            ExternalTools.stop(curl);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void curlResume_printsExactTranscript() throws Exception {
        Path executable = ExternalTools.requireOnPath("curl", "the Debian package curl");
        server = ExampleServer.start(ServerOptions.defaults().withPort(0));
        String volumes = RestClient.volumesPath(server.seed());
        RestClient rest = new RestClient(server.baseUri());
        Path transcript = Path.of("target", "curl-transcript.txt");
        Files.createDirectories(transcript.getParent());

        try (SseTestClient reference = SseTestClient.get(server.port(),
                volumes + "?watch=true")) {
            String cursor = reference.nextEvent().id();
            long opened = server.watchStats().watchesOpened();
            curl = new ProcessBuilder(executable.toString(), "-sS", "-N",
                    "--max-time", String.valueOf(CURL_MAX_SECONDS),
                    "-H", "Last-Event-ID: " + cursor,
                    server.baseUri().resolve(volumes + "?watch=true").toString())
                    .redirectOutput(transcript.toFile())
                    .redirectError(Path.of("target", "curl-stderr.txt").toFile())
                    .start();
            await("curl's watch opening").atMost(Duration.ofSeconds(CURL_MAX_SECONDS))
                    .until(() -> server.watchStats().watchesOpened() == opened + 1);

            String created = rest.send("POST", volumes,
                    "{\"name\": \"vol-curl\", \"size\": 1048576}");
            String id = created.substring(created.indexOf("\"id\":\"") + 6,
                    created.indexOf("\"", created.indexOf("\"id\":\"") + 6));
            String patched = rest.send("PATCH", volumes + id + "/", "{\"max_rw_iops\": 10}");
            rest.delete(volumes + id + "/");
            SseEvent createdEvent = reference.nextEvent();
            SseEvent updatedEvent = reference.nextEvent();
            SseEvent deletedEvent = reference.nextEvent();

            assertThat(curl.waitFor(CURL_MAX_SECONDS + 5, TimeUnit.SECONDS))
                    .as("curl ended by --max-time").isTrue();
            assertThat(curl.exitValue()).as("curl exit status").isEqualTo(CURL_TIMED_OUT);
            assertThat(Files.readString(transcript, StandardCharsets.UTF_8)).isEqualTo(
                    "retry: 3000\n\n"
                    + "event: created\nid: " + createdEvent.id() + "\ndata: " + created + "\n\n"
                    + "event: updated\nid: " + updatedEvent.id() + "\ndata: " + patched + "\n\n"
                    + "event: deleted\nid: " + deletedEvent.id() + "\ndata: " + patched
                    + "\n\n");
        }
    }
}
