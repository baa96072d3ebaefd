package io.ssewatch.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests of how a {@link WatchClient} ends: its thread and connection after close() or after
 * a stop.
 *
 * <p>The thread checks compare the JVM's live threads before and after. The shared default
 * HttpClient is created before the first snapshot of threads, because its selector thread
 * lives as long as the JVM by design.
 */
class WatchClientLifecycleTest {

    private FakeSseServer server;
    private RecordingListener<JsonNode> listener;

    @BeforeEach
    void startServer() throws IOException {
        server = new FakeSseServer();
        listener = new RecordingListener<>();
        DefaultHttpClient.get();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private WatchClient.Builder<JsonNode> builder(String path) {
        return WatchClient.builder(server.uri(path))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .listener(listener);
    }

    private static Set<Thread> liveThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /** Returns the names of the live threads that were not in {@code before}. */
    private static List<String> threadsStartedSince(Set<Thread> before) {
        return liveThreads().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .sorted()
                .collect(Collectors.toList());
    }

    private static void joinAll(Set<Thread> before) throws InterruptedException {
        for (Thread thread : liveThreads()) {
            if (!before.contains(thread)) {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
        }
    }

    @Test
    void close_leavesNoThreadsOrConnection() throws Exception {
        Set<Thread> before = liveThreads();
        WatchClient<JsonNode> client = builder("/volumes/").start();
        FakeSseServer.Exchange exchange = server.nextExchange();
        exchange.startStream();
        exchange.send("event: snapshot\nid: r1\ndata: []\n\n");
        listener.next("snapshot");
        exchange.send("event: created\nid: r2\ndata: {\"id\":\"a\"}\n\n");
        listener.next("created");
        assertThat(threadsStartedSince(before)).as("threads while watching")
                .anyMatch(name -> name.startsWith("sse-watch-client-"));

        client.close();

        assertThat(threadsStartedSince(before)).as("threads left after close()").isEmpty();
        await("the server sees the connection closed").atMost(Duration.ofSeconds(5))
                .until(() -> !exchange.probe());
        listener.assertNoCallWithin(Duration.ofMillis(200));
    }

    @Test
    void close_duringBackoffReturnsPromptly() throws Exception {
        Set<Thread> before = liveThreads();
        WatchClient<JsonNode> client = builder("/volumes/")
                .backoff(Duration.ofSeconds(20), Duration.ofSeconds(40))
                .start();
        server.nextExchange().respond(503, "{\"detail\": \"down\"}");
        listener.next("error");
        long startNanos = System.nanoTime();

        client.close();

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos))
                .as("close() duration in ms while a 20 s reconnect is pending")
                .isLessThan(2000);
        assertThat(threadsStartedSince(before)).as("threads left after close()").isEmpty();
        assertThat(server.requestCount()).as("requests").isEqualTo(1);
    }

    @Test
    void close_fromListenerEndsThread() throws Exception {
        AtomicReference<WatchClient<JsonNode>> self = new AtomicReference<>();
        AtomicBoolean closeReturned = new AtomicBoolean();
        RecordingListener<JsonNode> closing = new RecordingListener<>() {
            @Override
            public void onSnapshot(Map<String, JsonNode> resources) {
                self.get().close();
                closeReturned.set(true);
                super.onSnapshot(resources);
            }
        };
        Set<Thread> before = liveThreads();
        self.set(builder("/volumes/").listener(closing).start());
        FakeSseServer.Exchange exchange = server.nextExchange();
        exchange.startStream();

        exchange.send("event: snapshot\nid: r1\ndata: []\n\n");

        closing.next("snapshot");
        assertThat(closeReturned).as("close() returned inside the listener").isTrue();
        joinAll(before);
        assertThat(threadsStartedSince(before)).as("threads left after close()").isEmpty();
        await("the server sees the connection closed").atMost(Duration.ofSeconds(5))
                .until(() -> !exchange.probe());
    }

    @Test
    void stop_endsThreadWithoutClose() throws Exception {
        Set<Thread> before = liveThreads();
        WatchClient<JsonNode> client = builder("/volumes/").start();

        server.nextExchange().respond(401, "{\"detail\": \"missing credentials\"}");

        listener.next("stopped");
        joinAll(before);
        assertThat(threadsStartedSince(before)).as("threads left after a stop").isEmpty();
        client.close();
    }
}
