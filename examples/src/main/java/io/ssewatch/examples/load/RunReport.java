package io.ssewatch.examples.load;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** The figures and check results of one server's run, and how they are printed. */
final class RunReport {

    private static final double MIB = 1024.0 * 1024.0;

    final String server;
    final LoadOptions options;
    long openMillis;
    int heldAtStart;
    int failedToOpen;
    Map<String, Integer> connectErrors = Map.of();
    long heapBeforeWatchers = -1;
    long heapWithWatchers = -1;
    long heapAfterRun = -1;
    long changes;
    long deliveries;
    long elapsedNanos;
    long cpuNanos;
    LoadTarget.StoreReads readsBefore;
    LoadTarget.StoreReads readsAfter;
    ClientLoop.LoopResult result;
    String loopFailure;
    LatencyHistogram snapshotLatency = new LatencyHistogram();
    int probeErrors;

    RunReport(String server, LoadOptions options) {
        this.server = server;
        this.options = options;
    }

    /** Returns whether every watcher opened and no stream had an error, gap or duplicate. */
    boolean passed() {
        return loopFailure == null && failedToOpen == 0 && heldAtStart == options.watchers()
                && result.errors == 0 && result.gaps == 0 && result.duplicates == 0
                && result.missing == 0 && probeErrors == 0;
    }

    double deliveriesPerSecond() {
        return elapsedNanos == 0 ? 0 : deliveries * 1e9 / elapsedNanos;
    }

    /** Returns the latency until the last watcher received each change, in microseconds. */
    LatencyHistogram lastWatcherLatency() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long value : result.lastReceiveLatency) {
            if (value > 0) {
                histogram.record(value - 1);
            }
        }
        return histogram;
    }

    void print(PrintStream out) {
        out.println(LoadTool.format("watchers held %d of %d (opened in %d ms, %d failed to open%s)",
                result.held, options.watchers(), openMillis, failedToOpen,
                connectErrors.isEmpty() ? "" : ": " + connectErrors));
        out.println(LoadTool.format("changes %d, deliveries %d in %.2f s: %.0f deliveries/s",
                changes, deliveries, elapsedNanos / 1e9, deliveriesPerSecond()));

        LatencyHistogram latency = result.latency;
        out.println(LoadTool.format("commit-to-receive latency ms: p50 %.2f, p99 %.2f, max %.2f"
                + " (%d samples)", ms(latency.percentile(0.5)), ms(latency.percentile(0.99)),
                ms(latency.max()), latency.count()));
        LatencyHistogram last = lastWatcherLatency();
        out.println(LoadTool.format("commit-to-last-watcher latency ms: p50 %.2f, p99 %.2f, "
                + "max %.2f (%d changes)", ms(last.percentile(0.5)), ms(last.percentile(0.99)),
                ms(last.max()), last.count()));

        out.println(LoadTool.format("checks: %d stream errors, %d gaps, %d duplicates, "
                + "%d missing deliveries%s", result.errors, result.gaps, result.duplicates,
                result.missing, result.errorSamples.isEmpty() ? "" : " " + result.errorSamples));
        if (loopFailure != null) {
            out.println("client selector thread failed: " + loopFailure);
        }

        if (heapWithWatchers >= 0) {
            out.println(LoadTool.format("heap after GC MiB: %.1f before watchers, %.1f with "
                    + "watchers (%.0f bytes per watcher%s), %.1f after the run",
                    heapBeforeWatchers / MIB, heapWithWatchers / MIB,
                    (heapWithWatchers - heapBeforeWatchers) / (double) Math.max(1, heldAtStart),
                    options.fork() ? ", server only" : ", client included",
                    heapAfterRun / MIB));
        }
        out.println(LoadTool.format("CPU of the server%s: %.3f ms per change",
                options.fork() ? " process" : " and driver threads", cpuPerChangeMillis()));

        if (readsBefore != null) {
            out.println(LoadTool.format("store reads during the run: %d snapshots, %d gets, "
                    + "%d feeds for %d changes; since start: %d snapshots, %d gets, %d feeds",
                    readsAfter.snapshots() - readsBefore.snapshots(),
                    readsAfter.gets() - readsBefore.gets(),
                    readsAfter.follows() - readsBefore.follows(), changes,
                    readsAfter.snapshots(), readsAfter.gets(), readsAfter.follows()));
        }

        if (snapshotLatency.count() > 0 || probeErrors > 0) {
            out.println(LoadTool.format("new watcher's snapshot ms: p50 %.2f, p99 %.2f, max %.2f"
                    + " (%d probes, %d failed)", ms(snapshotLatency.percentile(0.5)),
                    ms(snapshotLatency.percentile(0.99)), ms(snapshotLatency.max()),
                    snapshotLatency.count(), probeErrors));
        }
        out.println(passed() ? "result: PASS" : "result: FAIL");
        out.flush();
    }

    double cpuPerChangeMillis() {
        return changes == 0 ? 0 : cpuNanos / 1e6 / changes;
    }

    static void printTable(PrintStream out, List<RunReport> reports) {
        out.println("| server | watchers held | changes | deliveries/s | p50 ms | p99 ms "
                + "| max ms | last-watcher p99 ms | CPU ms/change | checks |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (RunReport r : reports) {
            LatencyHistogram latency = r.result.latency;
            out.println(LoadTool.format("| %s | %d | %d | %.0f | %.2f | %.2f | %.2f | %.2f "
                    + "| %.3f | %s |", r.server, r.result.held, r.changes,
                    r.deliveriesPerSecond(), ms(latency.percentile(0.5)),
                    ms(latency.percentile(0.99)), ms(latency.max()),
                    ms(r.lastWatcherLatency().percentile(0.99)), r.cpuPerChangeMillis(),
                    r.passed() ? "pass" : "FAIL"));
        }
        out.flush();
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
