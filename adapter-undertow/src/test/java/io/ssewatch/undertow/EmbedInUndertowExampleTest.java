package io.ssewatch.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssewatch.api.Revision;
import io.ssewatch.api.memory.InMemoryStore;
import io.ssewatch.testing.SseTestClient;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Runs the example of {@code docs/undertow.md} and checks that the page shows its code. */
class EmbedInUndertowExampleTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void exampleServesWatchesAndExistingHandler() throws Exception {
        HttpHandler existingHandler = exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
            exchange.getResponseSender().send("existing " + exchange.getRequestPath());
        };
        try (InMemoryStore store = new InMemoryStore();
                EmbedInUndertowExample example = new EmbedInUndertowExample(store,
                        existingHandler, "127.0.0.1", 0)) {
            store.put("pools", "p1", MAPPER.createObjectNode().put("id", "p1"));
            ObjectNode volume = MAPPER.createObjectNode().put("id", "v1").put("size", 10);
            Revision revision = store.put("pools/p1/volumes", "v1", volume);

            try (SseTestClient plain = SseTestClient.get(example.port(),
                    "/api/v2/pools/p1/volumes/");
                    SseTestClient watch = SseTestClient.get(example.port(),
                            "/api/v2/pools/p1/volumes/?watch=true");
                    SseTestClient missingPool = SseTestClient.get(example.port(),
                            "/api/v2/pools/p2/volumes/?watch=true")) {
                assertThat(plain.body()).isEqualTo("existing /api/v2/pools/p1/volumes/");
                assertThat(watch.nextFrame()).isEqualTo("event: snapshot\nid: "
                        + revision.token() + "\nretry: 3000\ndata: [" + volume + "]\n\n");
                assertThat(missingPool.status()).isEqualTo(404);
            }
        }
    }

    /** Catches a change to the example that the page does not show. */
    @Test
    void pageShowsExampleCode() throws Exception {
        String source = Files.readString(
                Path.of("src/test/java/io/ssewatch/undertow/EmbedInUndertowExample.java"));
        String page = Files.readString(Path.of("../docs/undertow.md"));

        assertThat(page).contains(taggedRegion(source, "embed"));
    }

    /** Returns the lines between {@code tag::name[]} and {@code end::name[]}, unindented. */
    static String taggedRegion(String source, String name) {
        List<String> lines = source.lines().collect(Collectors.toList());
        int start = indexOf(lines, "// tag::" + name + "[]") + 1;
        int end = indexOf(lines, "// end::" + name + "[]");
        int indent = lines.get(start).length() - lines.get(start).stripLeading().length();
        StringBuilder region = new StringBuilder();
        for (String line : lines.subList(start, end)) {
            region.append(line.length() >= indent ? line.substring(indent) : line.strip())
                    .append('\n');
        }
        return region.toString();
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        throw new AssertionError("marker " + marker + " not found in the example source");
    }
}
