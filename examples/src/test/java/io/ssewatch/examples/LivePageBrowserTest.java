package io.ssewatch.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Loads the live page in headless Chromium from example servers on ephemeral loopback ports
 * and checks what it shows as the pool changes, the connection drops and the server restarts.
 * The first test keeps a screenshot in {@code target/live-page/live-page.png}.
 */
class LivePageBrowserTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long GIB = 1L << 30;
    private static final Path ARTIFACTS = Path.of("target", "live-page");

    // Reads what the page shows, or null before the page has loaded.
    private static final String READ_PAGE = """
            (() => {
              const text = (id) => document.getElementById(id).textContent;
              if (!document.getElementById('state')) {
                return null;
              }
              const notice = document.getElementById('notice');
              return JSON.stringify({
                state: text('state'),
                lastId: text('last-id'),
                events: Number(text('event-count')),
                snapshots: Number(text('snapshot-count')),
                notice: notice.hidden ? '' : notice.textContent,
                rows: Array.from(document.querySelectorAll('#volumes tbody tr:not(.removing)'))
                  .map((row) => ({
                    id: row.dataset.id,
                    name: row.dataset.name,
                    size: row.cells[2].textContent,
                    iops: row.cells[4].textContent,
                    flash: row.classList.contains('flash'),
                  })),
              });
            })()""";

    private final AtomicReference<PageView> lastView = new AtomicReference<>();
    private HeadlessChromium browser;
    private ExampleServer server;
    private ExampleServer otherServer;

    record PageView(String state, String lastId, int events, int snapshots, String notice,
            List<Row> rows) {

        List<String> names() {
            return rows.stream().map(Row::name).toList();
        }

        List<String> ids() {
            return rows.stream().map(Row::id).toList();
        }

        Row row(String id) {
            return rows.stream().filter(row -> row.id().equals(id)).findFirst().orElse(null);
        }
    }

    record Row(String id, String name, String size, String iops, boolean flash) {
    }

    @BeforeEach
    void launchBrowser(TestInfo test) throws Exception {
        ExternalTools.require(HeadlessChromium.EXECUTABLE,
                "the Debian package chromium; .ci/run installs it");
        String name = test.getTestMethod().orElseThrow().getName();
        browser = HeadlessChromium.launch(HeadlessChromium.EXECUTABLE,
                ARTIFACTS.resolve(name + "-chromium.log"));
    }

    @AfterEach
    void stopAll() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
        if (otherServer != null) {
            otherServer.close();
        }
    }

    @Test
    void livePage_followsChangesAndResumesAfterDrop() throws Exception {
        server = ExampleServer.start(ServerOptions.defaults().withPort(0));
        RestClient rest = new RestClient(server.baseUri());
        String volumes = RestClient.volumesPath(server.seed());

        browser.navigate(server.baseUri().resolve(LivePageHandler.PAGE_PATH));
        awaitPage("the seeded volumes from one snapshot", view -> {
            assertThat(view.state()).isEqualTo("open");
            assertThat(view.snapshots()).isEqualTo(1);
            assertThat(view.names()).containsExactly("vol-1", "vol-2");
            assertThat(view.ids()).containsExactlyElementsOf(server.seed().volumeIds());
        });

        JsonNode created = rest.createVolume(volumes, "vol-3", GIB);
        String id = created.path("id").asText();
        String path = volumes + id + "/";
        PageView afterCreate = awaitPage("a row for the POST", view -> {
            assertThat(view.names()).containsExactly("vol-1", "vol-2", "vol-3");
            assertThat(view.events()).isEqualTo(2);
            assertThat(view.row(id).size()).isEqualTo("1 GiB");
        });

        rest.patch(path, "{\"max_rw_iops\": 5000}");
        PageView afterPatch = awaitPage("the PATCH in the row, flashing", view -> {
            assertThat(view.row(id).iops()).isEqualTo("5,000");
            assertThat(view.row(id).flash()).isTrue();
            assertThat(view.events()).isEqualTo(3);
        });
        assertThat(afterPatch.lastId()).isNotEqualTo(afterCreate.lastId());

        long opened = server.watchStats().watchesOpened();
        server.dropConnections();
        awaitPage("the browser waiting to reconnect",
                view -> assertThat(view.state()).isEqualTo("reconnecting"));
        // The browser reconnects after the stream's retry: delay (3 s), so this change is
        // made while no stream is open and must be replayed from Last-Event-ID.
        rest.patch(path, "{\"size\": " + 2 * GIB + "}");
        assertThat(server.watchStats().watchesOpened())
                .as("watches opened when the PATCH was done; the browser reconnected early")
                .isEqualTo(opened);
        awaitPage("the missed PATCH replayed without a new snapshot", view -> {
            assertThat(view.state()).isEqualTo("open");
            assertThat(view.row(id).size()).isEqualTo("2 GiB");
            assertThat(view.row(id).flash()).isTrue();
            assertThat(view.snapshots()).isEqualTo(1);
            assertThat(view.events()).isEqualTo(4);
        });
        assertThat(server.watchStats().watchesOpened()).as("watches opened after one resume")
                .isEqualTo(opened + 1);

        Path screenshot = ARTIFACTS.resolve("live-page.png");
        browser.screenshot(screenshot);
        assertThat(Files.size(screenshot)).as("screenshot bytes").isGreaterThan(1_000);
    }

    @Test
    void livePage_afterServerRestart_showsNewSnapshot() throws Exception {
        server = ExampleServer.start(ServerOptions.defaults().withPort(0));
        int port = server.port();
        browser.navigate(server.baseUri().resolve(LivePageHandler.PAGE_PATH));
        awaitPage("the first server's volumes", view -> {
            assertThat(view.state()).isEqualTo("open");
            assertThat(view.ids()).containsExactlyElementsOf(server.seed().volumeIds());
        });

        server.close();
        awaitPage("the page noticing the stop",
                view -> assertThat(view.state()).isIn("reconnecting", "closed"));
        // The in-memory store starts empty and the seed has new ids, so the old stream URL
        // returns 404 and the page must find the pool again.
        server = ExampleServer.start(ServerOptions.defaults().withPort(port));

        awaitPage("the restarted server's volumes from a second snapshot", view -> {
            assertThat(view.state()).isEqualTo("open");
            assertThat(view.snapshots()).isEqualTo(2);
            assertThat(view.ids()).containsExactlyElementsOf(server.seed().volumeIds());
        });
    }

    @Test
    void livePage_otherOriginWithCors_streams() throws Exception {
        server = ExampleServer.start(ServerOptions.defaults().withPort(0));
        String pageOrigin = "http://127.0.0.1:" + server.port();
        otherServer = ExampleServer.start(ServerOptions.defaults().withPort(0)
                .withCorsOrigins(pageOrigin));

        browser.navigate(crossOriginPage(otherServer));

        awaitPage("the other server's volumes", view -> {
            assertThat(view.state()).isEqualTo("open");
            assertThat(view.ids()).containsExactlyElementsOf(otherServer.seed().volumeIds());
        });
    }

    @Test
    void livePage_otherOriginWithoutCors_isRefused() throws Exception {
        server = ExampleServer.start(ServerOptions.defaults().withPort(0));
        otherServer = ExampleServer.start(ServerOptions.defaults().withPort(0));

        browser.navigate(crossOriginPage(otherServer));

        awaitPage("the browser refusing the stream", view -> {
            assertThat(view.state()).isEqualTo("closed");
            assertThat(view.rows()).isEmpty();
        });
    }

    private URI crossOriginPage(ExampleServer streamServer) {
        String stream = streamServer.baseUri().resolve(RestClient.volumesPath(
                streamServer.seed())).toString();
        return server.baseUri().resolve(LivePageHandler.PAGE_PATH + "?stream=" + stream);
    }

    private PageView awaitPage(String expected, Consumer<PageView> check) {
        try {
            await(expected)
                    .atMost(HeadlessChromium.WAIT)
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        PageView view = readPage();
                        assertThat(view).as("page loaded").isNotNull();
                        check.accept(view);
                    });
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("waiting for " + expected + ": last view " + lastView.get()
                    + ", console " + browser.console(), e);
        }
        return lastView.get();
    }

    private PageView readPage() throws Exception {
        JsonNode value = browser.evaluate(READ_PAGE);
        PageView view = value.isTextual()
                ? MAPPER.readValue(value.asText(), PageView.class) : null;
        lastView.set(view);
        return view;
    }
}
