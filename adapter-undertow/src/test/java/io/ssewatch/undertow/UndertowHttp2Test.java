package io.ssewatch.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssewatch.api.Revision;
import io.ssewatch.api.WatchRoute;
import io.ssewatch.api.WatchService;
import io.ssewatch.api.WatchStats;
import io.ssewatch.api.memory.InMemoryStore;
import io.ssewatch.testing.SseTestClient;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Undertow adapter over HTTP/2 without TLS (prior knowledge), where every watch is one
 * stream of a shared connection: closing one stream must release its watch and leave the
 * other streams running.
 */
class UndertowHttp2Test {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration WAIT = SseTestClient.WAIT;

    private final InMemoryStore store = new InMemoryStore();
    private final WatchStats stats = new WatchStats();
    private WatchService service;
    private Undertow server;
    private OkHttpClient client;
    private int port;

    @BeforeEach
    void start() {
        service = WatchService.builder(store).metrics(stats)
                .pingInterval(Duration.ofMillis(100))
                .route(WatchRoute.list("/items/").collection("items").build())
                .build();
        server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                .setHandler(new WatchHandler(service, exchange -> {
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                    exchange.getResponseSender().send("plain");
                }))
                .build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        client = new OkHttpClient.Builder()
                .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
                .readTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }

    @AfterEach
    void stop() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
        server.stop();
        service.close();
        store.close();
    }

    private static ObjectNode item(String id) {
        return MAPPER.createObjectNode().put("id", id);
    }

    @Test
    void closedStreamReleasesOnlyItsWatch() throws Exception {
        Call firstCall = client.newCall(watchRequest());
        Call secondCall = client.newCall(watchRequest());
        try (Response first = firstCall.execute(); Response second = secondCall.execute()) {
            assertThat(first.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
            assertThat(first.header("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
            assertThat(first.header("Connection")).isNull();
            BufferedSource firstBody = first.body().source();
            BufferedSource secondBody = second.body().source();
            assertThat(firstBody.readUtf8Line()).isEqualTo("event: snapshot");
            assertThat(secondBody.readUtf8Line()).isEqualTo("event: snapshot");
            await("both watches open").atMost(WAIT).until(() -> stats.openWatches() == 2);

            first.close();

            await("closed stream's watch released").atMost(WAIT)
                    .until(() -> stats.openWatches() == 1);
            Revision created = store.put("items", "a", item("a"));
            assertThat(nextEventId(secondBody)).as("id on the other stream")
                    .isEqualTo(created.token());
        }
    }

    private Request watchRequest() {
        return new Request.Builder().url("http://127.0.0.1:" + port + "/items/?watch=true")
                .build();
    }

    /** Reads lines until an {@code id:} line that follows an {@code event:} line. */
    private static String nextEventId(BufferedSource body) throws IOException {
        boolean inEvent = false;
        while (true) {
            String line = body.readUtf8Line();
            assertThat(line).as("next line of the stream").isNotNull();
            if (line.startsWith("event: ")) {
                inEvent = true;
            } else if (inEvent && line.startsWith("id: ")) {
                return line.substring(4);
            }
        }
    }
}
