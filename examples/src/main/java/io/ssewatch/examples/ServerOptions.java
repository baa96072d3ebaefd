package io.ssewatch.examples;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The command-line options of {@link ExampleServer}.
 *
 * @param host the address to listen on
 * @param port the TCP port to listen on, 0 for a free one
 * @param adapter the HTTP server; only {@code jetty} so far
 * @param store the store; only {@code memory} so far
 * @param demo whether the {@link DemoDriver} runs
 * @param demoInterval the time between two demo steps
 * @param help whether {@code --help} was given, in which case the server does not start
 */
public record ServerOptions(String host, int port, String adapter, String store, boolean demo,
        Duration demoInterval, boolean help) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

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
            "  --adapter NAME   HTTP server: jetty (default and only value)",
            "  --store NAME     store: memory (default and only value); data is lost on exit",
            "  --demo           create, change and delete demo volumes every "
                    + DemoDriver.DEFAULT_INTERVAL.toSeconds() + " seconds",
            "  --help           print this help and exit",
            "");

    private static final Set<String> VALUE_OPTIONS =
            Set.of("--host", "--port", "--adapter", "--store");
    private static final Map<String, String> EXAMPLES = Map.of("--host", "0.0.0.0",
            "--port", String.valueOf(DEFAULT_PORT), "--adapter", "jetty", "--store", "memory");

    public ServerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(demoInterval, "demoInterval");
    }

    /** Returns the defaults: Jetty on 127.0.0.1:8080, the in-memory store, no demo. */
    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_HOST, DEFAULT_PORT, "jetty", "memory", false,
                DemoDriver.DEFAULT_INTERVAL, false);
    }

    /** Returns a copy that listens on another port. */
    public ServerOptions withPort(int newPort) {
        return new ServerOptions(host, newPort, adapter, store, demo, demoInterval, help);
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
        boolean demo = false;
        boolean help = false;
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
                case "--adapter" -> requireOneOf(name, value, "jetty");
                case "--store" -> requireOneOf(name, value, "memory");
                default -> throw new InvalidOptionException("unknown option \"" + args[i]
                        + "\" (expected one of --host, --port, --adapter, --store, --demo, "
                        + "--help)");
            }
        }
        return new ServerOptions(host, port, "jetty", "memory", demo, DemoDriver.DEFAULT_INTERVAL,
                help);
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

    private static void requireOneOf(String name, String value, String supported) {
        if (!supported.equals(value)) {
            throw new InvalidOptionException(name + ": \"" + value + "\" is not supported "
                    + "(expected: " + supported + ", the only value so far)");
        }
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
