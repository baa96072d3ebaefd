package io.ssewatch.examples;

import io.ssewatch.api.WatchService;
import io.ssewatch.undertow.WatchHandler;
import io.undertow.Undertow;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API on Undertow: Undertow's {@link WatchHandler} in front of {@link UndertowApiHandler},
 * inside a {@link GracefulShutdownHandler}.
 */
final class UndertowApiServer implements ApiHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(UndertowApiServer.class);

    private final Undertow undertow;
    private final GracefulShutdownHandler graceful;
    private final int port;

    private UndertowApiServer(Undertow undertow, GracefulShutdownHandler graceful) {
        this.undertow = undertow;
        this.graceful = graceful;
        this.port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress())
                .getPort();
    }

    /**
     * Starts Undertow on the options' host and port.
     *
     * @throws RuntimeException when Undertow fails to start, for example because the port is
     *     taken; Undertow is stopped again
     */
    static UndertowApiServer start(ServerOptions options, WatchService watches,
            ControlPlaneApi api) {
        // Without a graceful stop, Undertow would close the connections of open watch streams
        // before the watch service has written their unavailable event.
        GracefulShutdownHandler graceful = new GracefulShutdownHandler(
                new WatchHandler(watches, new UndertowApiHandler(api)));
        Undertow undertow = Undertow.builder()
                .addHttpListener(options.port(), options.host())
                .setHandler(graceful)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            undertow.stop();
            throw e;
        }
        return new UndertowApiServer(undertow, graceful);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void stop() {
        graceful.shutdown();
        try {
            if (!graceful.awaitShutdown(ExampleServer.STOP_TIMEOUT.toMillis())) {
                LOG.warn("Requests on port {} were still open after {} ms; closing their "
                        + "connections", port, ExampleServer.STOP_TIMEOUT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while waiting for open requests on port {}; closing their "
                    + "connections", port);
        }
        undertow.stop();
    }
}
