package io.ssewatch.examples;

import io.ssewatch.api.WatchService;
import io.ssewatch.jetty.WatchHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API on Jetty 12 core: Jetty's {@link WatchHandler} in front of {@link JettyApiHandler},
 * inside a {@link GracefulHandler}.
 */
final class JettyApiServer implements ApiHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(JettyApiServer.class);

    private final Server jetty;
    private final int port;

    private JettyApiServer(Server jetty) {
        this.jetty = jetty;
        this.port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /**
     * Starts Jetty on the options' host and port.
     *
     * @throws Exception when Jetty fails to start, for example because the port is taken;
     *     Jetty is stopped again
     */
    static JettyApiServer start(ServerOptions options, WatchService watches,
            ControlPlaneApi api) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("example-server");
        Server jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(options.host());
        connector.setPort(options.port());
        jetty.addConnector(connector);
        // Without a graceful stop, Jetty would close the connections of open watch streams
        // before the watch service has written their unavailable event.
        jetty.setHandler(new GracefulHandler(new WatchHandler(watches, new JettyApiHandler(api))));
        jetty.setStopTimeout(ExampleServer.STOP_TIMEOUT.toMillis());
        try {
            jetty.start();
        } catch (Exception e) {
            jetty.stop();
            throw e;
        }
        return new JettyApiServer(jetty);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void stop() {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("Stopping Jetty on port {} failed", port, e);
        }
    }
}
