package io.ssewatch.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the example server with {@code --store fdb} in a child JVM on a machine without the
 * FoundationDB client library. The child, not this JVM, tries to load {@code libfdb_c}, because
 * after a failed load the {@code FDB} class stays unusable in the JVM that tried.
 */
class FdbClientMissingTest {

    private static final long CHILD_TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    @Test
    void run_fdbWithoutLibfdbc_exit1WithoutStackTrace() throws Exception {
        assumeFalse(libfdbcInstalled(), "libfdb_c is installed here, so the child would "
                + "load it and try to reach the cluster");
        Path clusterFile = Files.writeString(dir.resolve("fdb.cluster"), "test:test@127.0.0.1:1");
        Path stderr = dir.resolve("stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ExampleServer.class.getName(), "--store", "fdb", "--cluster-file",
                clusterFile.toString(), "--port", "0")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile())
                .start();
        try {
            assertThat(child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    .as("the child exits within %d s", CHILD_TIMEOUT_SECONDS).isTrue();
        } finally {
            child.destroyForcibly();
        }
        String console = Files.readString(stderr, StandardCharsets.UTF_8);

        assertThat(child.exitValue()).as(console).isEqualTo(1);
        assertThat(console).contains("example-server: the FoundationDB client library "
                + "libfdb_c could not be loaded: ", "libfdb_c.so",
                "foundationdb-clients package from https://github.com/apple/foundationdb/releases");
        assertThat(console).as("no stack trace").doesNotContain("\tat ", "Exception in thread");
    }

    /** Returns whether {@code libfdb_c} is in a directory that the dynamic linker searches. */
    private static boolean libfdbcInstalled() {
        List<String> dirs = new ArrayList<>(List.of("/usr/lib", "/usr/lib64", "/usr/local/lib",
                "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu"));
        for (String variable : List.of("LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH")) {
            String value = System.getenv(variable);
            if (value != null) {
                dirs.addAll(List.of(value.split(File.pathSeparator)));
            }
        }
        dirs.addAll(List.of(System.getProperty("java.library.path").split(File.pathSeparator)));
        String name = System.mapLibraryName("fdb_c");
        return dirs.stream().anyMatch(d -> !d.isEmpty() && Files.exists(Path.of(d, name)));
    }
}
