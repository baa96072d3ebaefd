package io.ssewatch.examples.load;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The command-line options of {@link LoadTool}.
 *
 * @param servers the servers to measure one after another: {@code sse-watch},
 *     {@code nio-floor}, and {@code webflux} when its module is on the class path
 * @param target the base URI of a running example server on a loopback address, or
 *     {@code null} to start each server in-process
 * @param watchers the number of watch streams to open
 * @param resources the number of resources in the watched collection
 * @param eventBytes the size of each resource's JSON, which is the data of each event
 * @param rate changes per second, or 0 to go as fast as the watchers keep up
 * @param window with {@code rate} 0, how many changes may be committed but not yet received
 *     by every watcher
 * @param duration how long changes are driven
 * @param hold how long the watchers stay open after the run, for a heap histogram
 * @param snapshotProbes how many new watchers to open one at a time after the run, each timed
 *     until its snapshot has arrived
 * @param sources the number of loopback source addresses, from 127.0.0.2 up
 * @param selectors the number of NIO selector threads of the client
 * @param serve whether to only start the server and keep it running for {@code duration}
 * @param port the port of the server that {@code serve} starts; 0 picks a free one
 * @param fork whether each server runs in a child JVM instead of this one
 * @param histogram with {@code fork}, whether to take heap histograms of the server before
 *     and after the watchers open
 * @param help whether {@code --help} was given
 */
public record LoadOptions(List<String> servers, URI target, int watchers, int resources,
        int eventBytes, int rate, int window, Duration duration, Duration hold,
        int snapshotProbes, int sources, int selectors, boolean serve, int port, boolean fork,
        boolean histogram, boolean help) {

    static final String USAGE = String.join("\n",
            "Usage: java -cp example-server.jar io.ssewatch.examples.load.LoadTool [options]",
            "",
            "Opens watch streams with non-blocking I/O, drives changes, and reports deliveries",
            "per second, commit-to-receive latency, errors, gaps and duplicates. Exits with 1",
            "when a stream had an error, a gap or a duplicate, and with 2 on invalid options.",
            "",
            "Options:",
            "  --server LIST       servers to measure in turn, comma-separated: sse-watch,",
            "                      nio-floor, webflux (webflux needs the -Pwebflux module)",
            "                      (default: sse-watch)",
            "  --target URL        measure a running example server instead, such as",
            "                      http://127.0.0.1:8080; changes go through its HTTP API",
            "  --watchers N        watch streams to open (default: 100)",
            "  --resources N       resources in the watched collection (default: 100)",
            "  --event-bytes N     JSON size of each resource, in bytes (default: 1024)",
            "  --rate N|max        changes per second, or max to go as fast as every watcher",
            "                      receives them (default: 20)",
            "  --window N          with --rate max, changes in flight (default: 4)",
            "  --duration SECONDS  how long to drive changes, 0 for none; with --serve, how",
            "                      long to serve (default: 10)",
            "  --hold SECONDS      keep the watchers open this long after the run (default: 0)",
            "  --snapshot-probes N open N more watchers one at a time after the run and time",
            "                      each snapshot (default: 0)",
            "  --sources N         loopback source addresses 127.0.0.2 and up (default: 4)",
            "  --selectors N       client selector threads (default: 2)",
            "  --fork              run each server in a child JVM with this JVM's options, so",
            "                      that it has its own file descriptors, heap and CPU figures",
            "  --histogram         with --fork, print the server's heap histogram growth per",
            "                      watcher, grouped by package (uses jcmd)",
            "  --serve             only start the first --server, seeded, with a control",
            "                      endpoint for --fork, and keep it running for --duration s",
            "  --port N            with --serve, the port; 0 picks a free one (default: 0)",
            "  --help              print this help and exit",
            "");

    public LoadOptions {
        servers = List.copyOf(servers);
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(hold, "hold");
    }

    /**
     * Parses command-line arguments; each option takes its value as the next argument.
     *
     * @throws IllegalArgumentException naming the argument and the fix
     */
    public static LoadOptions parse(String... args) {
        List<String> servers = List.of("sse-watch");
        URI target = null;
        int watchers = 100;
        int resources = 100;
        int eventBytes = 1024;
        int rate = 20;
        int window = 4;
        Duration duration = Duration.ofSeconds(10);
        Duration hold = Duration.ZERO;
        int probes = 0;
        int sources = 4;
        int selectors = 2;
        boolean serve = false;
        boolean fork = false;
        boolean histogram = false;
        int port = 0;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                help = true;
                continue;
            }
            if (name.equals("--serve") || name.equals("--fork") || name.equals("--histogram")) {
                serve |= name.equals("--serve");
                fork |= name.equals("--fork");
                histogram |= name.equals("--histogram");
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name.startsWith("--")
                        ? name + " needs a value (expected: " + name + " VALUE; see --help)"
                        : "unknown argument \"" + name + "\" (expected: an option; see --help)");
            }
            String value = args[++i];
            switch (name) {
                case "--server" -> servers = parseServers(value);
                case "--target" -> target = parseTarget(value);
                case "--watchers" -> watchers = parseInt(name, value, 1);
                case "--resources" -> resources = parseInt(name, value, 1);
                case "--event-bytes" -> eventBytes = parseInt(name, value, Payloads.MIN_BYTES);
                case "--rate" -> rate = value.equals("max") ? 0 : parseInt(name, value, 1);
                case "--window" -> window = parseInt(name, value, 1);
                case "--duration" -> duration = Duration.ofSeconds(parseInt(name, value, 0));
                case "--hold" -> hold = Duration.ofSeconds(parseInt(name, value, 0));
                case "--snapshot-probes" -> probes = parseInt(name, value, 0);
                case "--sources" -> sources = Math.min(parseInt(name, value, 1), 250);
                case "--selectors" -> selectors = parseInt(name, value, 1);
                case "--port" -> port = parseInt(name, value, 0);
                default -> throw new IllegalArgumentException("unknown option \"" + name
                        + "\" (expected: one of the options that --help lists)");
            }
        }
        return new LoadOptions(servers, target, watchers, resources, eventBytes, rate, window,
                duration, hold, probes, sources, selectors, serve, port, fork, histogram, help);
    }

    private static List<String> parseServers(String value) {
        List<String> servers = new ArrayList<>();
        for (String server : value.split(",")) {
            if (!server.isBlank()) {
                servers.add(server.trim());
            }
        }
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("--server: \"" + value
                    + "\" names no server (expected: sse-watch, nio-floor or webflux)");
        }
        return servers;
    }

    private static URI parseTarget(String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        String host = uri == null ? null : uri.getHost();
        boolean loopback = host != null && (host.startsWith("127.") || host.equals("[::1]"));
        if (uri == null || !"http".equals(uri.getScheme()) || !loopback || uri.getPort() < 0) {
            throw new IllegalArgumentException("--target: \"" + value + "\" is invalid "
                    + "(expected: http://127.0.0.1:PORT of an example server on this machine)");
        }
        return uri;
    }

    private static int parseInt(String name, String value, int min) {
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            parsed = Integer.MIN_VALUE;
        }
        if (parsed < min) {
            throw new IllegalArgumentException(name + ": \"" + value + "\" is invalid (expected: "
                    + "an integer >= " + min + ")");
        }
        return parsed;
    }
}
