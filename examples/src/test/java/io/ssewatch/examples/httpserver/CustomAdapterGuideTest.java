package io.ssewatch.examples.httpserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks that {@code docs/custom-adapter.md} shows the JDK server adapter's code as it is: every
 * region between {@code // tag::name[]} and {@code // end::name[]} must appear in the guide
 * unchanged, apart from its common indentation.
 */
class CustomAdapterGuideTest {

    private static final Path SOURCES = Path.of("src/main/java/io/ssewatch/examples/httpserver");
    private static final Path TESTS = Path.of("src/test/java/io/ssewatch/examples/httpserver");

    @Test
    void guideShowsAdapterCode() throws IOException {
        String guide = Files.readString(Path.of("../docs/custom-adapter.md"));

        assertRegion(guide, SOURCES.resolve("WatchHttpHandler.java"), "handle");
        assertRegion(guide, SOURCES.resolve("ExchangeSink.java"), "write");
        assertRegion(guide, SOURCES.resolve("ExchangeSink.java"), "abort");
        assertRegion(guide, SOURCES.resolve("ExchangeSink.java"), "closeConnection");
        assertRegion(guide, TESTS.resolve("JdkHttpServerContractTest.java"), "startServer");
    }

    private static void assertRegion(String guide, Path source, String tag) throws IOException {
        String region = taggedRegion(Files.readAllLines(source), tag);
        assertThat(guide).as("region %s of %s in the guide", tag, source).contains(region);
    }

    /** Returns the lines between {@code tag::name[]} and {@code end::name[]}, unindented. */
    static String taggedRegion(List<String> lines, String tag) {
        int start = indexOf(lines, "// tag::" + tag + "[]") + 1;
        int end = indexOf(lines, "// end::" + tag + "[]");
        String first = lines.get(start);
        int indent = first.length() - first.stripLeading().length();
        StringBuilder region = new StringBuilder();
        for (String line : lines.subList(start, end)) {
            region.append(line.length() >= indent ? line.substring(indent) : line.strip())
                    .append('\n');
        }
        return region.toString();
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        throw new AssertionError("marker " + marker + " not found");
    }
}
