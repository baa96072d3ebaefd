package io.ssewatch.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssewatch.api.WatchService;
import io.ssewatch.testing.AdapterContract;
import io.ssewatch.testing.SseTestClient;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.xnio.Options;

/** The Undertow adapter against the adapter contract, over HTTP/1.1 on an ephemeral port. */
class UndertowAdapterContractTest extends AdapterContract {

    /**
     * Starts Undertow with every timeout that applies to an HTTP/1.1 connection set to
     * {@code idleTimeout}: the XNIO read and write timeouts and Undertow's idle timeout.
     */
    @Override
    protected TestServer startServer(WatchService service, Duration idleTimeout) {
        int millis = (int) idleTimeout.toMillis();
        HttpHandler handler = wrap(new WatchHandler(service, UndertowAdapterContractTest::plain));
        Undertow server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setServerOption(UndertowOptions.IDLE_TIMEOUT, millis)
                .setSocketOption(Options.READ_TIMEOUT, millis)
                .setSocketOption(Options.WRITE_TIMEOUT, millis)
                .setHandler(handler)
                .build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        return new TestServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
                server.stop();
            }
        };
    }

    /** Returns the root handler around the adapter's handler; the adapter itself by default. */
    protected HttpHandler wrap(WatchHandler watchHandler) {
        return watchHandler;
    }

    /**
     * Expects chunked transfer coding and the {@code Connection: keep-alive} header, which
     * Undertow adds to every persistent HTTP/1.1 response unless
     * {@code UndertowOptions.ALWAYS_SET_KEEP_ALIVE} is false.
     */
    @Override
    protected void assertStreamFraming(SseTestClient client) {
        assertThat(client.header("Transfer-Encoding")).as("Transfer-Encoding").isEqualTo("chunked");
        assertThat(client.header("Connection")).as("Connection").isEqualTo("keep-alive");
    }

    /** Returns "plain METHOD PATH" for every request. */
    private static void plain(io.undertow.server.HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
        exchange.getResponseSender().send("plain " + exchange.getRequestMethod() + " "
                + exchange.getRequestPath());
    }
}
