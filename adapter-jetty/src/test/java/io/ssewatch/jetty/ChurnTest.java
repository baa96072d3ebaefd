package io.ssewatch.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssewatch.api.Resource;
import io.ssewatch.api.Revision;
import io.ssewatch.api.WatchRoute;
import io.ssewatch.api.WatchService;
import io.ssewatch.api.memory.InMemoryStore;
import io.ssewatch.testing.SseEvent;
import io.ssewatch.testing.SseTestClient;
import io.ssewatch.testing.StateReplica;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.DefaultHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several writers, many watchers that connect, resume with their last id and drop at random
 * (FIN or reset), over real HTTP. At the end every watcher's reconstructed state must equal
 * the store's, and no watcher may have seen a repeated or backward revision.
 *
 * <p>Size with {@code -Dchurn.watchers=N -Dchurn.writers=N -Dchurn.seconds=N}; the defaults
 * keep the run under 15 seconds.
 */
class ChurnTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int WATCHERS = Integer.getInteger("churn.watchers", 24);
    private static final int WRITERS = Integer.getInteger("churn.writers", 3);
    private static final int SECONDS = Integer.getInteger("churn.seconds", 6);
    private static final int IDS = 20;

    private final InMemoryStore store = new InMemoryStore();
    private WatchService service;
    private Server server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (service != null) {
            service.close();
        }
        store.close();
    }

    private static long order(String token) {
        return Long.parseLong(token.substring(0, token.indexOf('-')));
    }

    @Test
    void churningWatchersConvergeToStore() throws Exception {
        service = WatchService.builder(store).pingInterval(Duration.ofMillis(200))
                .history(500, Duration.ofMinutes(1))
                .route(WatchRoute.list("/items/").collection("items").build()).build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new WatchHandler(service, new DefaultHandler()));
        server.start();
        int port = connector.getLocalPort();

        ExecutorService pool = Executors.newFixedThreadPool(WATCHERS + WRITERS);
        AtomicBoolean writing = new AtomicBoolean(true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            writers.add(pool.submit(() -> write(writing)));
        }
        List<Future<StateReplica>> watchers = new ArrayList<>();
        for (int i = 0; i < WATCHERS; i++) {
            watchers.add(pool.submit(() -> churn(port, deadline)));
        }
        List<StateReplica> replicas = new ArrayList<>();
        for (Future<StateReplica> watcher : watchers) {
            replicas.add(watcher.get(SECONDS + 60, TimeUnit.SECONDS));
        }
        writing.set(false);
        for (Future<?> writer : writers) {
            writer.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        Revision marker = store.put("items", "marker", MAPPER.createObjectNode().put("id", "marker"));
        Map<String, JsonNode> expected = new HashMap<>();
        for (Resource resource : store.readSnapshot("items").get().resources()) {
            expected.put(resource.id(), resource.body());
        }
        for (int i = 0; i < replicas.size(); i++) {
            StateReplica replica = replicas.get(i);
            catchUp(port, replica, marker);
            assertThat(replica.state()).as("watcher %d state", i).isEqualTo(expected);
            replica.assertIdsIncreasing();
        }
    }

    private Void write(AtomicBoolean writing) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int version = 0;
        while (writing.get()) {
            String id = "r" + random.nextInt(IDS);
            if (random.nextInt(6) == 0) {
                store.delete("items", id);
            } else if (random.nextInt(8) == 0) {
                String other = "r" + random.nextInt(IDS);
                int v = ++version;
                store.write(tx -> {
                    tx.put("items", id, MAPPER.createObjectNode().put("id", id).put("v", v));
                    tx.put("items", other, MAPPER.createObjectNode().put("id", other).put("v", v));
                });
            } else {
                store.put("items", id, MAPPER.createObjectNode().put("id", id).put("v", ++version));
            }
            // Throttles each writer to at most about 20,000 writes per second, so that the
            // hubs follow the store instead of falling off its change log.
            LockSupport.parkNanos(50_000);
        }
        return null;
    }

    private static StateReplica churn(int port, long deadline) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StateReplica replica = new StateReplica(ChurnTest::order);
        while (System.nanoTime() < deadline) {
            SseTestClient client = connect(port, replica);
            int frames = 1 + random.nextInt(40);
            for (int i = 0; i < frames && System.nanoTime() < deadline; i++) {
                String frame = client.pollFrame(Duration.ofMillis(100));
                if (frame == null && client.isEnded()) {
                    break;
                }
                if (frame != null) {
                    replica.apply(SseEvent.parse(frame));
                }
            }
            if (random.nextBoolean()) {
                client.reset();
            } else {
                client.close();
            }
        }
        return replica;
    }

    /** Reads, reconnecting like EventSource when the server ends a stream, up to the marker. */
    private static void catchUp(int port, StateReplica replica, Revision marker)
            throws Exception {
        long until = System.nanoTime() + SseTestClient.WAIT.toNanos();
        SseTestClient client = connect(port, replica);
        try {
            while (replica.lastId() == null || order(replica.lastId()) < order(marker.token())) {
                assertThat(System.nanoTime()).as("caught up with %s within %s", marker,
                        SseTestClient.WAIT).isLessThan(until);
                String frame = client.pollFrame(Duration.ofMillis(200));
                if (frame != null) {
                    replica.apply(SseEvent.parse(frame));
                } else if (client.isEnded()) {
                    client.close();
                    client = connect(port, replica);
                }
            }
        } finally {
            client.close();
        }
    }

    private static SseTestClient connect(int port, StateReplica replica) throws Exception {
        return replica.lastId() == null
                ? SseTestClient.get(port, "/items/?watch=true")
                : SseTestClient.get(port, "/items/?watch=true", "Last-Event-ID: " + replica.lastId());
    }
}
