package io.ssewatch.examples;

import io.ssewatch.api.Store;
import io.ssewatch.api.WatchService;
import io.ssewatch.api.memory.InMemoryStore;
import io.ssewatch.jetty.WatchHandler;
import java.io.PrintStream;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example server: the storage control-plane API on Jetty 12 with the in-memory store,
 * the {@link SeedData}, and with {@code --demo} the {@link DemoDriver}. Every GET endpoint
 * also streams its changes as Server-Sent Events when called with {@code ?watch=true}: a
 * {@link WatchHandler} in front of the API handler serves those requests from the
 * {@link WatchRoutes}.
 *
 * <p>{@link #main} parses the options (see {@link ServerOptions#USAGE}), starts the server and
 * stops it from a shutdown hook. Tests call {@link #start} and {@link #close} instead.
 * Thread-safe; {@link #close} is idempotent.
 */
public final class ExampleServer implements AutoCloseable {

    /** Exit status for invalid command-line options. */
    static final int EXIT_USAGE = 2;

    /** Exit status when the server fails to start, for example because the port is taken. */
    static final int EXIT_START_FAILED = 1;

    private static final Logger LOG = LoggerFactory.getLogger(ExampleServer.class);

    private final Server jetty;
    private final WatchService watches;
    private final Store store;
    private final DemoDriver demo;
    private final SeedData seed;
    private final URI baseUri;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ExampleServer(Server jetty, WatchService watches, Store store, DemoDriver demo,
            SeedData seed, URI baseUri) {
        this.jetty = jetty;
        this.watches = watches;
        this.store = store;
        this.demo = demo;
        this.seed = seed;
        this.baseUri = baseUri;
    }

    /**
     * Starts a server with the given options and returns once it accepts connections.
     *
     * @throws Exception when Jetty fails to start, for example because the port is taken;
     *     everything started so far is stopped again
     */
    public static ExampleServer start(ServerOptions options) throws Exception {
        return start(options, new InMemoryStore());
    }

    /**
     * Starts a server over {@code store}, which it seeds and closes when it stops, even when
     * the start fails. The load tool passes a store that counts reads.
     *
     * @throws Exception when Jetty fails to start, as for {@link #start(ServerOptions)}
     */
    public static ExampleServer start(ServerOptions options, Store store) throws Exception {
        WatchService watches = null;
        try {
            ControlPlane controlPlane = new ControlPlane(store);
            SeedData seed = SeedData.load(controlPlane);
            WatchService.Builder builder = WatchService.builder(store);
            WatchRoutes.all().forEach(builder::route);
            watches = builder.build();
            DemoDriver demo = options.demo() ? new DemoDriver(controlPlane.volumes(),
                    seed.clusterId(), seed.poolId(), options.demoInterval()) : null;

            Handler api = new JettyApiHandler(new ControlPlaneApi(controlPlane));
            Server jetty = startJetty(options, new WatchHandler(watches, api));
            int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
            URI baseUri = URI.create("http://" + hostForUri(options.host()) + ":" + port + "/");
            if (demo != null) {
                demo.start();
            }
            LOG.info("Example server started on {} (adapter {}, store {}, demo {}); add "
                    + "?watch=true to a GET to stream its changes",
                    baseUri.resolve(ApiPaths.CLUSTERS), options.adapter(), options.store(),
                    options.demo() ? "on" : "off");
            return new ExampleServer(jetty, watches, store, demo, seed, baseUri);
        } catch (Exception | Error e) {
            if (watches != null) {
                watches.close();
            }
            store.close();
            throw e;
        }
    }

    private static Server startJetty(ServerOptions options, Handler handler) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("example-server");
        Server jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(options.host());
        connector.setPort(options.port());
        jetty.addConnector(connector);
        jetty.setHandler(handler);
        try {
            jetty.start();
        } catch (Exception e) {
            jetty.stop();
            throw e;
        }
        return jetty;
    }

    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Returns the port the server listens on, which is the chosen one when started with 0. */
    public int port() {
        return baseUri.getPort();
    }

    /** Returns the server's base URI, such as {@code http://127.0.0.1:8080/}. */
    public URI baseUri() {
        return baseUri;
    }

    /** Returns the ids of the seed resources. */
    public SeedData seed() {
        return seed;
    }

    /**
     * Stops the demo driver, the watch service, Jetty and the store, in that order. Open
     * watch streams end with an {@code unavailable} event, so clients reconnect. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (demo != null) {
            demo.close();
        }
        watches.close();
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("Stopping Jetty on port {} failed; closing the store anyway", port(), e);
        }
        store.close();
        LOG.info("Example server stopped on port {}", port());
    }

    /**
     * Runs the server until the process is stopped; see {@link ServerOptions#USAGE}. Jetty's
     * threads keep the JVM running after this method returns.
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Parses the options and starts the server with a shutdown hook that stops it. Returns
     * 0 once the server has started or the help has been printed, otherwise the exit status.
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        ServerOptions options;
        try {
            options = ServerOptions.parse(args);
        } catch (ServerOptions.InvalidOptionException e) {
            err.println("example-server: " + e.getMessage());
            err.println("Run with --help to list the options.");
            return EXIT_USAGE;
        }
        if (options.help()) {
            out.print(ServerOptions.USAGE);
            return 0;
        }
        ExampleServer server;
        try {
            server = start(options);
        } catch (Exception e) {
            LOG.error("Example server failed to start on {}:{}", options.host(), options.port(), e);
            err.println("example-server: failed to start on " + options.host() + ":"
                    + options.port() + ": " + e.getMessage() + " (expected: a free port and a "
                    + "local address; try --port 0)");
            return EXIT_START_FAILED;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "example-server-stop"));
        return 0;
    }
}
