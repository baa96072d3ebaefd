package io.ssewatch.examples;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the programs that the real-client tests run (Chromium, Node, curl), and stops the
 * processes they start. {@code .ci/run} installs the programs. Under {@code CI=true} a missing
 * program fails the test; elsewhere the test is skipped with the reason.
 */
final class ExternalTools {

    /** Bound of each wait for a process to exit after a stop request. */
    private static final long STOP_WAIT_SECONDS = 5;

    private ExternalTools() {
    }

    /** Returns whether the tests run under CI, where every client program must be present. */
    static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Returns the executable at {@code path}, or fails (under CI) or skips the test when it is
     * missing.
     */
    static Path require(Path path, String installHint) {
        if (!Files.isExecutable(path)) {
            missing(path + " is missing or not executable (expected: " + installHint + ")");
        }
        return path;
    }

    /** Returns {@code command} found on the {@code PATH}, or fails or skips as {@link #require}. */
    static Path requireOnPath(String command, String installHint) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        missing(command + " is not on the PATH (expected: " + installHint + ")");
        return null;
    }

    /** Fails under CI, otherwise skips the test, with {@code reason}. */
    static void missing(String reason) {
        if (onCi()) {
            fail(reason + "; CI=true requires it");
        }
        assumeTrue(false, reason + "; skipped outside CI");
    }

    /**
     * Stops a process and the processes it started. It sends each a termination request by its
     * process id, waits a bounded time, then kills the ones still running.
     */
    static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    /** Deletes a directory tree, such as a browser profile, that a test created. */
    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + root + " failed", e);
        }
    }
}
