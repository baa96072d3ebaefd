package io.ssewatch.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The events that a third-party SSE client reported, queued in arrival order, and the
 * scenario that every such client must pass against the example server. A client adapter
 * calls {@link #event} and {@link #connection} from its own threads.
 */
final class ClientEvents {

    /** One event as the client delivered it. */
    record Event(String type, String id, String data) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(15);
    // How long no further event may arrive after the last expected one.
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final long GIB = 1L << 30;

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<String> connections = new CopyOnWriteArrayList<>();
    private final List<Event> seen = new ArrayList<>();

    void event(String type, String id, String data) {
        events.add(new Event(type, id, data));
    }

    /** Records an open, error or close notice, for failure messages. */
    void connection(String notice) {
        connections.add(notice);
    }

    /** Returns the next event, or fails after {@link #WAIT}. */
    Event next(String expected) throws InterruptedException {
        Event event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("%s within %s; events so far %s; connection notices %s", expected,
                WAIT, seen, connections).isNotNull();
        seen.add(event);
        return event;
    }

    /**
     * Runs the scenario. The client gets a snapshot of the seeded pool, then created, updated
     * and deleted for a POST, PATCH and DELETE. The server then drops every connection and two
     * writes happen while the client is away. After its reconnect the client gets exactly
     * those two events, without a new snapshot.
     */
    void runScenario(ExampleServer server) throws Exception {
        RestClient rest = new RestClient(server.baseUri());
        String volumes = RestClient.volumesPath(server.seed());

        Event snapshot = next("snapshot");
        assertThat(snapshot.type()).isEqualTo("snapshot");
        assertThat(ids(MAPPER.readTree(snapshot.data())))
                .containsExactlyElementsOf(server.seed().volumeIds());

        String first = rest.createVolume(volumes, "vol-a", GIB).path("id").asText();
        assertChange(next("created"), "created", first);
        rest.patch(volumes + first + "/", "{\"max_rw_iops\": 700}");
        Event updated = next("updated");
        assertChange(updated, "updated", first);
        assertThat(MAPPER.readTree(updated.data()).path("max_rw_iops").asInt()).isEqualTo(700);
        rest.delete(volumes + first + "/");
        Event deleted = next("deleted");
        assertChange(deleted, "deleted", first);

        long opened = server.watchStats().watchesOpened();
        server.dropConnections();
        String second = rest.createVolume(volumes, "vol-b", GIB).path("id").asText();
        rest.patch(volumes + second + "/", "{\"size\": " + 2 * GIB + "}");
        // The stream's retry: delay is 3 s, so the client must not have reconnected yet.
        assertThat(server.watchStats().watchesOpened())
                .as("watches opened when the writes were done; the client reconnected early")
                .isEqualTo(opened);

        Event missedCreate = next("the missed created, replayed");
        assertChange(missedCreate, "created", second);
        Event missedUpdate = next("the missed updated, replayed");
        assertChange(missedUpdate, "updated", second);
        assertThat(MAPPER.readTree(missedUpdate.data()).path("size").asLong()).isEqualTo(2 * GIB);
        assertThat(counters(List.of(snapshot, updated, deleted, missedCreate, missedUpdate)))
                .as("ids in order").isSorted().doesNotHaveDuplicates();
        assertThat(events.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS))
                .as("no further event after the replay").isNull();
        assertThat(server.watchStats().watchesOpened()).as("watches opened after one resume")
                .isEqualTo(opened + 1);
    }

    private static void assertChange(Event event, String type, String volumeId)
            throws Exception {
        assertThat(event.type()).as("event %s", event).isEqualTo(type);
        assertThat(MAPPER.readTree(event.data()).path("id").asText()).isEqualTo(volumeId);
        assertThat(event.id()).as("id of %s", event).isNotEmpty();
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    // The in-memory store's ids are a counter, a hyphen and the store's epoch.
    private static List<Long> counters(List<Event> events) {
        return events.stream()
                .map(event -> Long.parseLong(event.id().substring(0, event.id().indexOf('-'))))
                .toList();
    }
}
