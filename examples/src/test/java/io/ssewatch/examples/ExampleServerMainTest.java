package io.ssewatch.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExampleServerMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void run_invalidOption_exit2WithMessage() {
        int status = run("--port", "http");

        assertThat(status).isEqualTo(2);
        assertThat(text(err)).contains("example-server: --port: \"http\" is invalid",
                "Run with --help");
        assertThat(text(out)).isEmpty();
    }

    @Test
    void run_help_printsUsage() {
        int status = run("--help");

        assertThat(status).isZero();
        assertThat(text(out)).startsWith("Usage: java -jar example-server.jar");
        assertThat(text(err)).isEmpty();
    }

    @Test
    void run_portInUse_exit1() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int status = run("--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()));

            assertThat(status).isEqualTo(1);
            assertThat(text(err)).contains("failed to start on 127.0.0.1:" + taken.getLocalPort(),
                    "try --port 0");
        }
    }

    private int run(String... args) {
        return ExampleServer.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}
