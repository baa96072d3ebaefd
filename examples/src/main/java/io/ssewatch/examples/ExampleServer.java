package io.ssewatch.examples;

import io.ssewatch.api.CorsPolicy;
import io.ssewatch.api.Store;
import io.ssewatch.api.StoreUnavailableException;
import io.ssewatch.api.WatchService;
import io.ssewatch.api.WatchStats;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example server: the storage control-plane API on Jetty 12 or Undertow, with the
 * in-memory or the FoundationDB store, the {@link SeedData}, and with {@code --demo} the
 * {@link DemoDriver}. Every GET endpoint also streams its changes as Server-Sent Events when
 * called with {@code ?watch=true}: the adapter's watch handler in front of the API handler
 * serves those requests from the {@link WatchRoutes}. On Jetty a {@link LivePageHandler}
 * also serves a browser page at {@code /ui/} that shows the volumes of a pool as they change.
 *
 * <p>With {@link ServerOptions#http2()} the Jetty port also accepts HTTP/2 without TLS (h2c),
 * so that one connection carries many watches; with {@link ServerOptions#corsOrigins()} pages
 * from those origins may open watches. Watch statistics are served at
 * {@link ControlPlaneApi#WATCH_STATS}.
 *
 * <p>{@link #main} parses the options (see {@link ServerOptions#USAGE}), starts the server and
 * stops it from a shutdown hook. Tests call {@link #start} and {@link #close} instead.
 * Thread-safe; {@link #close} is idempotent.
 */
public final class ExampleServer implements AutoCloseable {

    /** Exit status for invalid command-line options. */
    static final int EXIT_USAGE = 2;

    /**
     * Exit status when the server fails to start, for example because the port is taken or
     * the FoundationDB client is missing.
     */
    static final int EXIT_START_FAILED = 1;

    /**
     * Maximum time that stopping waits for open requests, such as watch streams writing their
     * {@code unavailable} event, before the HTTP server closes their connections.
     */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(ExampleServer.class);

    private final ApiHttpServer http;
    private final WatchService watches;
    private final WatchStats stats;
    private final Store store;
    private final boolean ownsStore;
    private final DemoDriver demo;
    private final SeedData seed;
    private final URI baseUri;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ExampleServer(ApiHttpServer http, WatchService watches, WatchStats stats,
            Store store, boolean ownsStore, DemoDriver demo, SeedData seed, URI baseUri) {
        this.http = http;
        this.watches = watches;
        this.stats = stats;
        this.store = store;
        this.ownsStore = ownsStore;
        this.demo = demo;
        this.seed = seed;
        this.baseUri = baseUri;
    }

    /**
     * Opens the store, starts a server with the given options and returns once it accepts
     * connections. {@link #close} closes the store.
     *
     * @throws FdbClientMissingException when {@code --store fdb} cannot load the FoundationDB
     *     client library
     * @throws StoreUnavailableException when the FoundationDB cluster cannot be reached
     * @throws Exception when the HTTP server fails to start, for example because the port is
     *     taken; everything started so far is stopped again
     */
    public static ExampleServer start(ServerOptions options) throws Exception {
        return startOwning(options, ExampleStores.open(options));
    }

    /**
     * Starts a server over {@code store} and closes the store when the server stops, or when
     * the start fails. The load tool passes a store that counts reads.
     *
     * @throws Exception when the HTTP server fails to start, as for {@link #start(ServerOptions)}
     */
    public static ExampleServer startOwning(ServerOptions options, Store store) throws Exception {
        try {
            return start(options, store, true);
        } catch (Exception | Error e) {
            store.close();
            throw e;
        }
    }

    /**
     * Starts a server on a store that the caller keeps: {@link #close} leaves it open, so
     * several servers can share it. The store's data is reused as {@link SeedData#loadOrReuse}
     * describes, and {@link ServerOptions#store()} only names it in the log.
     */
    static ExampleServer start(ServerOptions options, Store store) throws Exception {
        return start(options, store, false);
    }

    private static ExampleServer start(ServerOptions options, Store store, boolean ownsStore)
            throws Exception {
        WatchService watches = null;
        try {
            ControlPlane controlPlane = new ControlPlane(store);
            SeedData seed = SeedData.loadOrReuse(controlPlane);
            WatchStats stats = new WatchStats();
            WatchService.Builder builder = WatchService.builder(store).metrics(stats);
            WatchRoutes.all().forEach(builder::route);
            CorsPolicy cors = options.corsPolicy();
            if (cors != null) {
                builder.cors(cors);
            }
            watches = builder.build();
            DemoDriver demo = options.demo() ? new DemoDriver(controlPlane.volumes(),
                    seed.clusterId(), seed.poolId(), options.demoInterval()) : null;

            ApiHttpServer http = startHttp(options, watches,
                    new ControlPlaneApi(controlPlane, stats::toMap));
            URI baseUri = URI.create("http://" + hostForUri(options.host()) + ":" + http.port()
                    + "/");
            if (demo != null) {
                demo.start();
            }
            LOG.info("Example server started on {} (adapter {}, store {}, demo {}, http2 {}, "
                    + "cors origins {}); add ?watch=true to a GET to stream its changes, such "
                    + "as {}?watch=true", baseUri.resolve(ApiPaths.CLUSTERS), options.adapter(),
                    describeStore(options), options.demo() ? "on" : "off",
                    options.http2() ? "h2c" : "off",
                    options.corsOrigins().isEmpty() ? "none" : options.corsOrigins(),
                    baseUri.resolve(ApiPaths.storagePool(seed.clusterId(), seed.poolId())
                            + "volumes/"));
            if (http instanceof JettyApiServer) {
                LOG.info("Live page: {}", baseUri.resolve(LivePageHandler.PAGE_PATH));
            }
            return new ExampleServer(http, watches, stats, store, ownsStore, demo, seed,
                    baseUri);
        } catch (Exception | Error e) {
            if (watches != null) {
                watches.close();
            }
            throw e;
        }
    }

    private static ApiHttpServer startHttp(ServerOptions options, WatchService watches,
            ControlPlaneApi api) throws Exception {
        return switch (options.adapter()) {
            case "jetty" -> JettyApiServer.start(options, watches, api);
            case "undertow" -> UndertowApiServer.start(options, watches, api);
            default -> throw new IllegalArgumentException("adapter: \"" + options.adapter()
                    + "\" (expected one of: " + String.join(", ", ServerOptions.ADAPTERS) + ")");
        };
    }

    private static String describeStore(ServerOptions options) {
        return options.clusterFile() == null ? options.store()
                : options.store() + " with cluster file " + options.clusterFile();
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

    /** Returns the HTTP server that {@code --adapter} picked, for tests. */
    ApiHttpServer httpServer() {
        return http;
    }

    /** Returns the ids of the seed resources. */
    public SeedData seed() {
        return seed;
    }

    /** Returns the watch counters, such as the number of open streams. */
    public WatchStats watchStats() {
        return stats;
    }

    /** Returns the number of client connections open now, HTTP/1.1 and HTTP/2 alike. */
    int openConnections() {
        return jetty().openConnections();
    }

    /**
     * Closes every client connection from the server side, as a proxy restart or a network
     * failure would, and keeps the server running. Clients see their streams end without an
     * event and should resume with {@code Last-Event-ID}. The Jetty adapter releases their
     * watches at once, through a close listener on the connection.
     */
    void dropConnections() {
        jetty().dropConnections();
    }

    private JettyApiServer jetty() {
        if (!(http instanceof JettyApiServer)) {
            throw new IllegalStateException("connection hooks need --adapter jetty, but the "
                    + "adapter is " + http.getClass().getSimpleName());
        }
        return (JettyApiServer) http;
    }

    /**
     * Stops the demo driver, the watch service, the HTTP server and the store (unless the
     * caller passed it in), in that order. Open watch streams end with an {@code unavailable}
     * event, so clients reconnect; the HTTP server waits up to {@link #STOP_TIMEOUT} for them
     * to write it. Idempotent.
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
        http.stop();
        if (ownsStore) {
            store.close();
        }
        LOG.info("Example server stopped on port {}", port());
    }

    /**
     * Runs the server until the process is stopped; see {@link ServerOptions#USAGE}. The HTTP
     * server's threads keep the JVM running after this method returns.
     */
    public static void main(String[] args) {
        // Undertow logs through jboss-logging, which would pick java.util.logging by itself.
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
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
        } catch (FdbClientMissingException e) {
            // The message names the package to install; the stack trace only shows JNI loading.
            LOG.error("Example server failed to start, because the FoundationDB client library "
                    + "libfdb_c could not be loaded (stack trace at DEBUG level)");
            LOG.debug("Loading the FoundationDB client library failed", e);
            err.println("example-server: " + e.getMessage());
            return EXIT_START_FAILED;
        } catch (StoreUnavailableException e) {
            LOG.error("Example server failed to open the store ({})", describeStore(options), e);
            err.println("example-server: failed to open the store (" + describeStore(options)
                    + "): " + e.getMessage());
            return EXIT_START_FAILED;
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
