package io.ssewatch.examples.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A class histogram of live objects in another JVM, taken with
 * {@code jcmd <pid> GC.class_histogram} (which runs a full GC first), with bytes summed by
 * the package that owns each class.
 *
 * <p>Arrays and JDK collections are counted under "JDK and arrays" whoever holds them, so the
 * sse-watch and Jetty groups are lower bounds of what those libraries keep alive.
 */
final class HeapHistogram {

    static final String SSE_WATCH = "sse-watch (io.ssewatch, not examples)";
    static final String EXAMPLES = "example server (io.ssewatch.examples)";
    static final String JETTY = "Jetty (org.eclipse.jetty)";
    static final String JDK = "JDK and arrays";

    private static final Pattern LINE =
            Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");

    final Map<String, Long> bytesByGroup = new LinkedHashMap<>();
    final Map<String, Long> bytesByClass = new LinkedHashMap<>();
    final Map<String, Long> countByClass = new LinkedHashMap<>();

    private HeapHistogram() {
        for (String group : List.of(SSE_WATCH, EXAMPLES, JETTY, JDK)) {
            bytesByGroup.put(group, 0L);
        }
    }

    /** Takes a histogram of the JVM with this process id. */
    static HeapHistogram of(long pid) throws IOException, InterruptedException {
        String jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process process = new ProcessBuilder(jcmd, Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " GC.class_histogram failed: "
                    + new String(output, StandardCharsets.UTF_8));
        }
        HeapHistogram histogram = new HeapHistogram();
        for (String line : new String(output, StandardCharsets.UTF_8).split("\n")) {
            Matcher matcher = LINE.matcher(line);
            if (matcher.matches()) {
                histogram.add(matcher.group(3), Long.parseLong(matcher.group(1)),
                        Long.parseLong(matcher.group(2)));
            }
        }
        return histogram;
    }

    private void add(String className, long instances, long bytes) {
        bytesByGroup.merge(group(className), bytes, Long::sum);
        bytesByClass.merge(className, bytes, Long::sum);
        countByClass.merge(className, instances, Long::sum);
    }

    static String group(String className) {
        if (className.startsWith("io.ssewatch.examples.")) {
            return EXAMPLES;
        }
        if (className.startsWith("io.ssewatch.")) {
            return SSE_WATCH;
        }
        if (className.startsWith("org.eclipse.jetty.")) {
            return JETTY;
        }
        return JDK;
    }

    /** Prints what grew from {@code before} to {@code after}, per watcher. */
    static void printGrowth(PrintStream out, HeapHistogram before, HeapHistogram after,
            int watchers) {
        long total = 0;
        for (Map.Entry<String, Long> entry : after.bytesByGroup.entrySet()) {
            long grown = entry.getValue() - before.bytesByGroup.getOrDefault(entry.getKey(), 0L);
            total += grown;
            out.println(LoadTool.format("heap histogram growth, %s: %.0f bytes per watcher",
                    entry.getKey(), grown / (double) watchers));
        }
        out.println(LoadTool.format("heap histogram growth, total: %.0f bytes per watcher",
                total / (double) watchers));
        List<Map.Entry<String, Long>> grown = new ArrayList<>();
        for (Map.Entry<String, Long> entry : after.bytesByClass.entrySet()) {
            long delta = entry.getValue() - before.bytesByClass.getOrDefault(entry.getKey(), 0L);
            grown.add(Map.entry(entry.getKey(), delta));
        }
        grown.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        for (Map.Entry<String, Long> entry : grown.subList(0, Math.min(15, grown.size()))) {
            long instances = after.countByClass.get(entry.getKey())
                    - before.countByClass.getOrDefault(entry.getKey(), 0L);
            out.println(LoadTool.format("  %8.1f bytes/watcher %6.2f instances/watcher  %s",
                    entry.getValue() / (double) watchers, instances / (double) watchers,
                    entry.getKey()));
        }
    }
}
