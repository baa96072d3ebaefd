package io.ssewatch.examples.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Runs the load tool briefly against sse-watch and the NIO floor, so that a build fails
 * when a stream loses, repeats or reorders a change under concurrent load.
 */
class LoadToolSmokeTest {

    @Test
    void run_50Watchers_noGapsDuplicatesOrErrors() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = LoadTool.run(new String[] {"--server", "sse-watch,nio-floor",
            "--watchers", "50", "--resources", "20", "--rate", "100", "--duration", "2",
            "--snapshot-probes", "3"}, print(out), print(err));

        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(err.toString(StandardCharsets.UTF_8)).as("stderr").isEmpty();
        assertThat(report).contains("| sse-watch | 50 |", "| nio-floor | 50 |");
        assertThat(report).doesNotContain("FAIL");
        assertThat(report).contains("checks: 0 stream errors, 0 gaps, 0 duplicates, "
                + "0 missing deliveries");
        assertThat(status).as("exit status, report:%n%s", report).isZero();
    }

    @Test
    void run_invalidOption_exit2WithMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = LoadTool.run(new String[] {"--watchers", "none"},
                print(new ByteArrayOutputStream()), print(err));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--watchers: \"none\" is invalid (expected: an integer >= 1)");
    }

    @Test
    void run_targetNotLoopback_exit2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = LoadTool.run(new String[] {"--target", "http://192.0.2.1:8080"},
                print(new ByteArrayOutputStream()), print(err));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--target");
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
