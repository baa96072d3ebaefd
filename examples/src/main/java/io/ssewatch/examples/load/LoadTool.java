package io.ssewatch.examples.load;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures watch fan-out. Opens many SSE watch streams with a few NIO selector threads and
 * drives changes at a fixed rate or as fast as every watcher keeps up. Reports deliveries
 * per second, commit-to-receive latency, connections held, heap after GC, CPU per change
 * and store reads, and checks every stream for errors, gaps and duplicates meanwhile.
 *
 * <p>Each {@code --server} runs in turn in this JVM: {@code sse-watch} (the example server
 * on Jetty), {@code nio-floor} (the minimal NIO server that bounds what any server can do
 * here) and, when the {@code webflux-baseline} module is on the class path, {@code webflux}.
 * With {@code --target} it measures a running example server through its HTTP API instead.
 * See {@link LoadOptions#USAGE} for the options.
 */
public final class LoadTool {

    static final int EXIT_FAILED_CHECKS = 1;
    static final int EXIT_USAGE = 2;

    private final LoadOptions options;
    private final PrintStream out;
    private final List<RunReport> reports = new ArrayList<>();

    private LoadTool(LoadOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the tool and returns its exit status: 0, or 1 when a check failed, 2 on usage. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("load-tool: " + e.getMessage());
            err.println("Run with --help to list the options.");
            return EXIT_USAGE;
        }
        if (options.help()) {
            out.print(LoadOptions.USAGE);
            return 0;
        }
        try {
            return new LoadTool(options, out).runAll();
        } catch (IllegalArgumentException e) {
            err.println("load-tool: " + e.getMessage());
            return EXIT_USAGE;
        } catch (Exception e) {
            err.println("load-tool: the run failed: " + e);
            e.printStackTrace(err);
            return EXIT_FAILED_CHECKS;
        }
    }

    private int runAll() throws Exception {
        if (options.serve()) {
            serve();
            return 0;
        }
        List<LoadTarget> targets = new ArrayList<>();
        if (options.target() != null) {
            targets.add(new HttpApiTarget(options.target()));
        } else {
            for (String name : options.servers()) {
                LoadTarget.Factory factory = factory(name);
                targets.add(options.fork() ? new ForkedTarget(name) : factory.create());
            }
        }
        boolean passed = true;
        for (int i = 0; i < targets.size(); i++) {
            String name = options.target() != null ? options.target().toString()
                    : options.servers().get(i);
            RunReport report = runOne(name, targets.get(i));
            reports.add(report);
            passed &= report.passed();
        }
        out.println();
        RunReport.printTable(out, reports);
        return passed ? 0 : EXIT_FAILED_CHECKS;
    }

    private static LoadTarget.Factory factory(String name) {
        Map<String, LoadTarget.Factory> factories = new HashMap<>();
        for (LoadTarget.Factory factory : ServiceLoader.load(LoadTarget.Factory.class)) {
            factories.put(factory.name(), factory);
        }
        LoadTarget.Factory factory = factories.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("--server: \"" + name + "\" is unknown "
                    + "(expected one of " + factories.keySet() + "; webflux needs the "
                    + "webflux-baseline module on the class path)");
        }
        return factory;
    }

    /** Starts the first server with a control endpoint and serves until stopped. */
    private void serve() throws Exception {
        try (LoadTarget target = factory(options.servers().get(0)).create()) {
            target.start(options);
            try (ControlServer control = new ControlServer(target)) {
                out.println(ForkedTarget.CONTROL_LINE + "127.0.0.1:" + control.address().getPort()
                        + " pid "
                        + ProcessHandle.current().pid() + ", serving "
                        + target.address() + " for at most " + options.duration().toSeconds()
                        + " s");
                out.flush();
                control.awaitStop(options.duration().toMillis());
            }
        }
    }

    private RunReport runOne(String name, LoadTarget target) throws Exception {
        RunReport report = new RunReport(name, options);
        out.println("== " + name + ": " + options.watchers() + " watchers, "
                + options.resources() + " resources of " + options.eventBytes() + " bytes, "
                + (options.rate() == 0 ? "max rate (window " + options.window() + ")"
                        : options.rate() + " changes/s") + " for "
                + options.duration().toSeconds() + " s");
        try (target) {
            target.start(options);
            report.heapBeforeWatchers = heap(target);
            HeapHistogram before = histogram(target);
            try (WatchClients clients = new WatchClients(target.address(), target.watchPath(),
                    target.contiguousIds(), options.selectors(), options.sources())) {
                measure(target, clients, report, before);
            }
        }
        report.print(out);
        return report;
    }

    private void measure(LoadTarget target, WatchClients clients, RunReport report,
            HeapHistogram histogramBefore) throws Exception {
        long openStart = System.nanoTime();
        int held = clients.open(options.watchers(), 60_000 + options.watchers() * 2L);
        report.openMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openStart);
        report.failedToOpen = clients.failedToOpen();
        report.connectErrors = clients.connectErrors();
        report.heldAtStart = held;
        report.heapWithWatchers = heap(target);
        if (histogramBefore != null) {
            HeapHistogram.printGrowth(out, histogramBefore, histogram(target), held);
        }
        LoadTarget.StoreReads readsBefore = target.storeReads();
        clients.startChanges(target.nextChangeId());

        long cpuBefore = cpu(target);
        long driveStart = System.nanoTime();
        long changes = drive(target, clients, held);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long expected = changes * held;
        while (clients.deliveries() < expected && System.nanoTime() < deadline
                && clients.loopFailure() == null) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        long elapsed = System.nanoTime() - driveStart;
        report.cpuNanos = cpu(target) - cpuBefore;
        report.changes = changes;
        report.deliveries = clients.deliveries();
        report.elapsedNanos = elapsed;
        LoadTarget.StoreReads readsAfter = target.storeReads();
        if (readsBefore != null) {
            report.readsBefore = readsBefore;
            report.readsAfter = readsAfter;
        }
        report.result = clients.collect(changes);
        if (clients.loopFailure() != null) {
            report.loopFailure = String.valueOf(clients.loopFailure());
        }
        probeSnapshots(clients, report);
        report.heapAfterRun = heap(target);
        if (!options.hold().isZero()) {
            out.println("holding " + report.result.held + " watchers for "
                    + options.hold().toSeconds() + " s, pid " + ProcessHandle.current().pid());
            out.flush();
            Thread.sleep(options.hold().toMillis());
        }
    }

    /** Drives changes for the duration and returns how many were committed. */
    private long drive(LoadTarget target, WatchClients clients, int held) throws Exception {
        long durationNanos = options.duration().toNanos();
        if (durationNanos == 0) {
            return 0;
        }
        long start = System.nanoTime();
        long committed = 0;
        long intervalNanos = options.rate() == 0 ? 0 : 1_000_000_000L / options.rate();
        while (System.nanoTime() - start < durationNanos) {
            if (intervalNanos > 0) {
                long due = start + committed * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            } else {
                long allowed = (committed - options.window() + 1) * (long) held;
                while (clients.deliveries() < allowed && System.nanoTime() - start < durationNanos
                        && clients.loopFailure() == null) {
                    Thread.onSpinWait();
                }
            }
            int index = (int) (committed % options.resources());
            target.change(index, Payloads.nowMicros());
            committed++;
        }
        return committed;
    }

    private void probeSnapshots(WatchClients clients, RunReport report) throws Exception {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 0; i < options.snapshotProbes(); i++) {
            WatchStream stream = clients.probe().get(30, TimeUnit.SECONDS);
            if (stream.hasSnapshot()) {
                histogram.record((stream.snapshotNanos - stream.openedNanos) / 1000);
            } else {
                report.probeErrors++;
            }
        }
        report.snapshotLatency = histogram;
    }

    private static long heap(LoadTarget target) throws Exception {
        if (target instanceof ForkedTarget forked) {
            return Long.parseLong(forked.stats().get("heap"));
        }
        return target.inProcess() ? heapAfterGc() : -1;
    }

    private static long cpu(LoadTarget target) throws Exception {
        if (target instanceof ForkedTarget forked) {
            return Long.parseLong(forked.stats().get("cpu"));
        }
        return threadCpuNanos();
    }

    private HeapHistogram histogram(LoadTarget target) throws Exception {
        if (options.histogram() && target instanceof ForkedTarget forked) {
            return HeapHistogram.of(forked.pid());
        }
        return null;
    }

    /** Runs the GC twice and returns the heap in use, in bytes. */
    static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Returns the CPU time of this JVM's live threads except the load tool's client threads,
     * in nanoseconds. Threads that ended since an earlier call are not counted.
     */
    static long threadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null || info.getThreadName().startsWith("load-client-")) {
                continue;
            }
            sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
        }
        return sum;
    }

    static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
