package io.ssewatch.examples;

import io.ssewatch.api.CorsPolicy;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The command-line options of {@link ExampleServer}.
 *
 * @param host the address to listen on
 * @param port the TCP port to listen on, 0 for a free one
 * @param adapter the HTTP server, one of {@link #ADAPTERS}
 * @param store the store, one of {@link #STORES}
 * @param clusterFile the FoundationDB cluster file with store {@code fdb}, otherwise null
 * @param demo whether the {@link DemoDriver} runs
 * @param demoInterval the time between two demo steps
 * @param help whether {@code --help} was given, in which case the server does not start
 * @param corsOrigins the origins whose pages may open watches, {@code *} for every origin;
 *     empty turns cross-origin access off
 * @param http2 whether the port also speaks HTTP/2 without TLS (h2c); Jetty only
 */
public record ServerOptions(String host, int port, String adapter, String store,
        String clusterFile, boolean demo, Duration demoInterval, boolean help,
        List<String> corsOrigins, boolean http2) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    /** The values of {@code --adapter}; the first is the default. */
    public static final List<String> ADAPTERS = List.of("jetty", "undertow");

    /** The values of {@code --store}; the first is the default. */
    public static final List<String> STORES = List.of("memory", "fdb");

    /** The store that needs {@code --cluster-file}. */
    public static final String FDB_STORE = "fdb";

    private static final String CLUSTER_FILE_EXAMPLE = "/etc/foundationdb/fdb.cluster";

    public static final String USAGE = String.join("\n",
            "Usage: java -jar example-server.jar [options]",
            "",
            "Serves a storage control-plane REST API under /api/v2/clusters/.",
            "",
            "Options:",
            "  --host ADDRESS   address to listen on (default: " + DEFAULT_HOST
                    + "; use 0.0.0.0 for all interfaces)",
            "  --port N         TCP port to listen on, 0 for a free one (default: "
                    + DEFAULT_PORT + ")",
            "  --adapter NAME   HTTP server: jetty (default) or undertow",
            "  --store NAME     store: memory (default; data is lost on exit) or fdb",
            "                   (FoundationDB; needs --cluster-file and the libfdb_c client)",
            "  --cluster-file PATH",
            "                   FoundationDB cluster file for --store fdb, such as",
            "                   " + CLUSTER_FILE_EXAMPLE,
            "  --demo           create, change and delete demo volumes every "
                    + DemoDriver.DEFAULT_INTERVAL.toSeconds() + " seconds",
            "  --cors-origin ORIGIN",
            "                   let pages from ORIGIN (scheme://host[:port], or * for any)",
            "                   open watches; repeat for more origins (default: none)",
            "  --http2          also accept HTTP/2 without TLS (h2c) on the same port;",
            "                   jetty only",
            "  --help           print this help and exit",
            "");

    private static final Set<String> VALUE_OPTIONS =
            Set.of("--host", "--port", "--adapter", "--store", "--cluster-file", "--cors-origin");
    private static final Map<String, String> EXAMPLES = Map.of("--host", "0.0.0.0",
            "--port", String.valueOf(DEFAULT_PORT), "--adapter", "undertow", "--store", "memory",
            "--cluster-file", CLUSTER_FILE_EXAMPLE, "--cors-origin", "https://console.example.com");

    public ServerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(demoInterval, "demoInterval");
        corsOrigins = List.copyOf(corsOrigins);
    }

    /** Creates options without cross-origin access and without HTTP/2. */
    public ServerOptions(String host, int port, String adapter, String store,
            String clusterFile, boolean demo, Duration demoInterval, boolean help) {
        this(host, port, adapter, store, clusterFile, demo, demoInterval, help, List.of(), false);
    }

    /** Returns the defaults: Jetty on 127.0.0.1:8080, the in-memory store, no demo. */
    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_HOST, DEFAULT_PORT, ADAPTERS.get(0), STORES.get(0),
                null, false, DemoDriver.DEFAULT_INTERVAL, false);
    }

    /** Returns a copy that listens on another port. */
    public ServerOptions withPort(int newPort) {
        return new ServerOptions(host, newPort, adapter, store, clusterFile, demo, demoInterval,
                help, corsOrigins, http2);
    }

    /** Returns a copy that serves on another HTTP server, one of {@link #ADAPTERS}. */
    public ServerOptions withAdapter(String newAdapter) {
        return new ServerOptions(host, port, newAdapter, store, clusterFile, demo, demoInterval,
                help, corsOrigins, http2);
    }

    /** Returns a copy that runs the demo driver with the given time between steps. */
    public ServerOptions withDemo(Duration interval) {
        return new ServerOptions(host, port, adapter, store, clusterFile, true, interval, help,
                corsOrigins, http2);
    }

    /** Returns a copy that allows these origins to open watches; none turns CORS off. */
    public ServerOptions withCorsOrigins(String... origins) {
        return new ServerOptions(host, port, adapter, store, clusterFile, demo, demoInterval,
                help, List.of(origins), http2);
    }

    /** Returns a copy that does or does not accept HTTP/2 without TLS. */
    public ServerOptions withHttp2(boolean enabled) {
        return new ServerOptions(host, port, adapter, store, clusterFile, demo, demoInterval,
                help, corsOrigins, enabled);
    }

    /**
     * Returns the CORS policy for {@link #corsOrigins}, or null when the list is empty.
     *
     * @throws InvalidOptionException when an origin is not {@code scheme://host[:port]} or *
     */
    public CorsPolicy corsPolicy() {
        if (corsOrigins.isEmpty()) {
            return null;
        }
        try {
            return CorsPolicy.allowOrigins(corsOrigins.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("--cors-origin: " + e.getMessage());
        }
    }

    /**
     * Parses command-line arguments. Options take their value as the next argument or after
     * an equals sign ({@code --port 9090} or {@code --port=9090}).
     *
     * @throws InvalidOptionException naming the argument and the fix
     */
    public static ServerOptions parse(String... args) {
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        String adapter = ADAPTERS.get(0);
        String store = STORES.get(0);
        String clusterFile = null;
        boolean demo = false;
        boolean help = false;
        boolean http2 = false;
        List<String> corsOrigins = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value = null;
            int equals = name.indexOf('=');
            if (name.startsWith("--") && equals > 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (VALUE_OPTIONS.contains(name) && value == null) {
                if (i + 1 >= args.length) {
                    throw new InvalidOptionException(name + " needs a value (expected: " + name
                            + " " + EXAMPLES.get(name) + ")");
                }
                value = args[++i];
            }
            switch (name) {
                case "--help", "-h" -> {
                    requireNoValue(name, value);
                    help = true;
                }
                case "--demo" -> {
                    requireNoValue(name, value);
                    demo = true;
                }
                case "--host" -> host = parseHost(value);
                case "--port" -> port = parsePort(value);
                case "--adapter" -> adapter = requireOneOf(name, value, ADAPTERS);
                case "--store" -> store = requireOneOf(name, value, STORES);
                case "--cluster-file" -> clusterFile = value;
                case "--http2" -> {
                    requireNoValue(name, value);
                    http2 = true;
                }
                case "--cors-origin" -> corsOrigins.add(value);
                default -> throw new InvalidOptionException("unknown option \"" + args[i]
                        + "\" (expected one of --host, --port, --adapter, --store, "
                        + "--cluster-file, --demo, --cors-origin, --http2, --help)");
            }
        }
        checkClusterFile(store, clusterFile);
        if (http2 && !adapter.equals(ADAPTERS.get(0))) {
            throw new InvalidOptionException("--http2 is supported with --adapter jetty only, "
                    + "but the adapter is \"" + adapter + "\" (expected: --adapter jetty "
                    + "--http2, or no --http2)");
        }
        ServerOptions options = new ServerOptions(host, port, adapter, store, clusterFile, demo,
                DemoDriver.DEFAULT_INTERVAL, help, corsOrigins, http2);
        // Rejects an invalid origin now, with the option's name, instead of at start.
        options.corsPolicy();
        return options;
    }

    /**
     * Checks that {@code --cluster-file} comes with {@code --store fdb} and the other way round,
     * and that the file can be read, so that a typo fails before the FoundationDB client loads.
     */
    private static void checkClusterFile(String store, String clusterFile) {
        boolean fdb = FDB_STORE.equals(store);
        if (!fdb && clusterFile != null) {
            throw new InvalidOptionException("--cluster-file: \"" + clusterFile + "\" is only "
                    + "used by --store " + FDB_STORE + ", but the store is \"" + store
                    + "\" (expected: --store " + FDB_STORE + " --cluster-file PATH, or no "
                    + "--cluster-file)");
        }
        if (!fdb) {
            return;
        }
        if (clusterFile == null) {
            throw new InvalidOptionException("--store " + FDB_STORE + " needs a cluster file "
                    + "(expected: --store " + FDB_STORE + " --cluster-file PATH, such as "
                    + "--cluster-file " + CLUSTER_FILE_EXAMPLE + ")");
        }
        Path path;
        try {
            path = Path.of(clusterFile);
        } catch (InvalidPathException e) {
            path = null;
        }
        String problem = path == null ? "is not a valid path"
                : !Files.exists(path) ? "does not exist"
                : !Files.isRegularFile(path) ? "is not a regular file"
                : !Files.isReadable(path) ? "is not readable by this process" : null;
        if (problem != null) {
            throw new InvalidOptionException("--cluster-file: \"" + clusterFile + "\" "
                    + problem + " (expected: the readable cluster file of a FoundationDB "
                    + "cluster, such as " + CLUSTER_FILE_EXAMPLE + ")");
        }
    }

    private static String parseHost(String value) {
        if (value.isBlank()) {
            throw new InvalidOptionException("--host: \"" + value + "\" is empty "
                    + "(expected: an address such as 127.0.0.1 or 0.0.0.0)");
        }
        return value;
    }

    private static int parsePort(String value) {
        int port;
        try {
            port = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65_535) {
            throw new InvalidOptionException("--port: \"" + value + "\" is invalid (expected: a "
                    + "TCP port from 0 to 65535, where 0 picks a free port)");
        }
        return port;
    }

    private static String requireOneOf(String name, String value, List<String> supported) {
        if (!supported.contains(value)) {
            throw new InvalidOptionException(name + ": \"" + value + "\" is not supported "
                    + "(expected one of: " + String.join(", ", supported) + ")");
        }
        return value;
    }

    private static void requireNoValue(String name, String value) {
        if (value != null) {
            throw new InvalidOptionException(name + " takes no value, but got \"" + value
                    + "\" (expected: " + name + " alone)");
        }
    }

    /** An invalid command-line argument; the message names it and the fix. */
    public static final class InvalidOptionException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public InvalidOptionException(String message) {
            super(message);
        }
    }
}
