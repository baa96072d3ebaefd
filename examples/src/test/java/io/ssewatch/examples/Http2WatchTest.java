package io.ssewatch.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs many watches over one HTTP/2 connection without TLS (h2c) with Jetty's HTTP/2 client,
 * and resets some streams.
 */
class Http2WatchTest {

    private static final int WATCHES = 10;
    private static final int RESETS = 4;
    private static final Duration WAIT = Duration.ofSeconds(10);
    // Well below the 15 s ping interval, so only the reset itself can release a watch.
    private static final Duration RESET_NOTICE = Duration.ofSeconds(2);

    private ExampleServer server;
    private HttpClient client;

    /** One watch stream and the text received on it so far. */
    private static final class Watch {
        final StringBuffer text = new StringBuffer();
        volatile Response response;
        Request request;

        boolean received(String frameStart) {
            return text.indexOf(frameStart) >= 0;
        }
    }

    @AfterEach
    void stopAll() throws Exception {
        if (client != null) {
            client.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void h2c_resetStreamsReleasedAtOnce() throws Exception {
        server = ExampleServer.start(ServerOptions.defaults().withPort(0).withHttp2(true));
        client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
        // Without this limit the client opens a connection per request while the first one
        // is still connecting, instead of queueing them as streams on one connection.
        client.setMaxConnectionsPerDestination(1);
        client.start();
        URI uri = server.baseUri().resolve(RestClient.volumesPath(server.seed()) + "?watch=true");

        List<Watch> watches = new ArrayList<>();
        for (int i = 0; i < WATCHES; i++) {
            watches.add(open(uri));
        }
        await("a snapshot on every stream").atMost(WAIT)
                .until(() -> watches.stream().allMatch(w -> w.received("event: snapshot\n")));

        assertThat(server.openConnections()).as("client connections").isEqualTo(1);
        assertThat(server.watchStats().openWatches()).isEqualTo(WATCHES);
        for (Watch watch : watches) {
            assertThat(watch.response.getVersion()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(watch.response.getHeaders().get(HttpHeader.CONNECTION)).isNull();
            assertThat(watch.response.getHeaders().get(HttpHeader.CONTENT_TYPE))
                    .startsWith("text/event-stream");
        }

        for (Watch watch : watches.subList(0, RESETS)) {
            watch.request.abort(new CancellationException("the test resets this stream"));
        }
        await("the server releasing the reset streams").atMost(RESET_NOTICE)
                .until(() -> server.watchStats().openWatches() == WATCHES - RESETS);

        ContentResponse created = client.POST(server.baseUri().resolve(
                        RestClient.volumesPath(server.seed())))
                .body(new StringRequestContent("application/json",
                        "{\"name\": \"vol-h2\", \"size\": 1048576}"))
                .timeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                .send();
        assertThat(created.getStatus()).as("POST over the same connection").isEqualTo(201);
        await("a created event on every stream left").atMost(WAIT)
                .until(() -> watches.subList(RESETS, WATCHES).stream()
                        .allMatch(w -> w.received("event: created\n")));
        assertThat(server.openConnections()).as("client connections after the resets")
                .isEqualTo(1);
    }

    @Test
    void h2c_withoutOption_isRefused() throws Exception {
        server = ExampleServer.start(ServerOptions.defaults().withPort(0));
        client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
        client.start();
        URI uri = server.baseUri().resolve(RestClient.volumesPath(server.seed()));

        Request request = client.newRequest(uri).timeout(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThatThrownBy(request::send).as("an HTTP/2 request to a server without --http2")
                .isNotNull();
    }

    private Watch open(URI uri) {
        Watch watch = new Watch();
        watch.request = client.newRequest(uri)
                .onResponseHeaders(response -> watch.response = response)
                .onResponseContent((response, content) ->
                        watch.text.append(StandardCharsets.UTF_8.decode(content)));
        watch.request.send(result -> {
        });
        return watch;
    }
}
