package io.ssewatch.examples;

import io.ssewatch.api.WatchService;
import io.ssewatch.jetty.WatchHandler;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API on Jetty 12 core: Jetty's {@link WatchHandler} in front of the
 * {@link LivePageHandler} and {@link JettyApiHandler}, inside a {@link GracefulHandler}. With
 * {@link ServerOptions#http2()} the port also speaks h2c.
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
        HttpConfiguration http = new HttpConfiguration();
        // Both factories share one port: a connection that starts with the HTTP/2 preface
        // speaks h2c, any other speaks HTTP/1.1.
        ServerConnector connector = options.http2()
                ? new ServerConnector(jetty, new HttpConnectionFactory(http),
                        new HTTP2CServerConnectionFactory(http))
                : new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        jetty.addConnector(connector);
        // Without a graceful stop, Jetty would close the connections of open watch streams
        // before the watch service has written their unavailable event.
        jetty.setHandler(new GracefulHandler(new WatchHandler(watches,
                new LivePageHandler(new JettyApiHandler(api)))));
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

    /** Returns the number of client connections open now, HTTP/1.1 and HTTP/2 alike. */
    int openConnections() {
        return connector().getConnectedEndPoints().size();
    }

    /** Closes every client connection from the server side and keeps the server running. */
    void dropConnections() {
        for (EndPoint endPoint : connector().getConnectedEndPoints()) {
            endPoint.close();
        }
    }

    private ServerConnector connector() {
        return (ServerConnector) jetty.getConnectors()[0];
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
