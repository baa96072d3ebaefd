package io.ssewatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssewatch.api.adapter.WatchRequest;
import io.ssewatch.api.memory.InMemoryStore;
import io.ssewatch.testing.RecordingSink;
import io.ssewatch.testing.SseEvent;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Watches that see a whole collection share one encoded snapshot per revision; watches with a
 * scope or an authorization filter build their own.
 */
class SharedSnapshotTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final InMemoryStore store = new InMemoryStore();
    private final AtomicInteger comparisons = new AtomicInteger();
    private final Comparator<Resource> countingOrder = (a, b) -> {
        comparisons.incrementAndGet();
        return a.id().compareTo(b.id());
    };
    private WatchService service;

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        store.close();
    }

    private void start(WatchAuthorizer authorizer) {
        service = WatchService.builder(store)
                .route(WatchRoute.list("/items/").collection("items").order(countingOrder)
                        .build())
                .route(WatchRoute.list("/pools/{pool}/items/").collection("items")
                        .scope((params, r) -> params.get("pool").equals(pool(r)))
                        .order(countingOrder).build())
                .authorizer(authorizer, Duration.ofMinutes(5))
                .build();
    }

    private static String pool(Resource resource) {
        return resource.body().path("pool").asText();
    }

    private void put(String id, String pool) {
        store.put("items", id, MAPPER.createObjectNode().put("id", id).put("pool", pool));
    }

    private SseEvent snapshot(String path, String principal) throws InterruptedException {
        return snapshot(open(path, principal));
    }

    private RecordingSink open(String path, String principal) {
        RecordingSink sink = new RecordingSink();
        service.open(new WatchRequest("GET", path, "watch=true",
                name -> "X-User".equalsIgnoreCase(name) ? principal : null, null), sink)
                .orElseThrow();
        return sink;
    }

    private static SseEvent snapshot(RecordingSink sink) throws InterruptedException {
        SseEvent event = sink.nextEvent();
        assertThat(event.event()).as("first event").isEqualTo("snapshot");
        return event;
    }

    @Test
    void wholeCollection_unchangedHub_sortsOnce() throws InterruptedException {
        start(WatchAuthorizer.ALLOW_ALL);
        put("b", "p1");
        put("a", "p2");
        put("c", "p1");

        SseEvent first = snapshot("/items/", null);
        int afterFirst = comparisons.get();
        SseEvent second = snapshot("/items/", null);
        SseEvent third = snapshot("/items/", null);

        assertThat(afterFirst).as("comparisons for the first snapshot").isPositive();
        assertThat(comparisons.get()).as("comparisons after two more snapshots")
                .isEqualTo(afterFirst);
        assertThat(second.raw()).isEqualTo(first.raw());
        assertThat(third.raw()).isEqualTo(first.raw());
    }

    @Test
    void wholeCollection_afterChange_buildsNewSnapshot() throws InterruptedException {
        start(WatchAuthorizer.ALLOW_ALL);
        put("a", "p1");
        RecordingSink earlier = open("/items/", null);
        SseEvent before = snapshot(earlier);

        put("b", "p2");
        // Once the earlier watch has the change, the hub has applied it.
        assertThat(earlier.nextEvent().event()).isEqualTo("created");
        SseEvent after = snapshot("/items/", null);

        assertThat(before.data()).doesNotContain("\"b\"");
        assertThat(after.data()).contains("\"a\"", "\"b\"");
        assertThat(after.id()).isNotEqualTo(before.id());
    }

    @Test
    void scopedRoute_doesNotShare() throws InterruptedException {
        start(WatchAuthorizer.ALLOW_ALL);
        put("a", "p1");
        put("b", "p2");

        SseEvent whole = snapshot("/items/", null);
        SseEvent p1 = snapshot("/pools/p1/items/", null);
        SseEvent p2 = snapshot("/pools/p2/items/", null);

        assertThat(whole.data()).contains("\"a\"", "\"b\"");
        assertThat(p1.data()).contains("\"a\"").doesNotContain("\"b\"");
        assertThat(p2.data()).contains("\"b\"").doesNotContain("\"a\"");
    }

    @Test
    void authorizationFilter_doesNotShare() throws InterruptedException {
        start((request, route, params) -> {
            String user = request.header("X-User");
            WatchDecision allowed = WatchDecision.allow(user);
            return "p1-only".equals(user) ? allowed.withFilter(r -> "p1".equals(pool(r)))
                    : allowed;
        });
        put("a", "p1");
        put("b", "p2");

        SseEvent everyone = snapshot("/items/", "admin");
        SseEvent filtered = snapshot("/items/", "p1-only");
        SseEvent everyoneAgain = snapshot("/items/", "admin");

        assertThat(everyone.data()).contains("\"a\"", "\"b\"");
        assertThat(filtered.data()).contains("\"a\"").doesNotContain("\"b\"");
        assertThat(everyoneAgain.data()).isEqualTo(everyone.data());
    }
}
