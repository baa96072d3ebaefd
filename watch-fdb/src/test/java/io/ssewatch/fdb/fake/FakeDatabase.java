package io.ssewatch.fdb.fake;

import com.apple.foundationdb.Database;
import com.apple.foundationdb.DatabaseOptions;
import com.apple.foundationdb.EventKeeper;
import com.apple.foundationdb.FDBException;
import com.apple.foundationdb.KeyRangeArrayResult;
import com.apple.foundationdb.ReadTransaction;
import com.apple.foundationdb.Tenant;
import com.apple.foundationdb.Transaction;
import com.apple.foundationdb.tuple.ByteArrayUtil;
import com.apple.foundationdb.tuple.Tuple;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * An in-memory stand-in for a FoundationDB database, implementing the fdb-java interfaces in
 * plain Java so that store tests run without {@code libfdb_c}.
 *
 * <p>Modelled: multi-version reads at a read version, read-your-writes, optimistic conflict
 * checks on non-snapshot reads (error 1020), atomic ADD, SET_VERSIONSTAMPED_KEY and
 * SET_VERSIONSTAMPED_VALUE with 4-byte offsets, watches that fire when a value changes and
 * are registered at commit, the watch limit (error 1032), the transaction timeout option
 * (error 1031 from {@code onError}), and commit versions that advance about 1,000,000 per
 * second. Injected faults: commit errors, commits that apply but report 1021, and failing all
 * watches with a code. Not modelled: the 5-second and size limits, and read conflicts of
 * range reads cut off by a limit (the whole range conflicts).
 */
public final class FakeDatabase implements Database {

    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-fdb");
        thread.setDaemon(true);
        return thread;
    });
    private final long startNanos = System.nanoTime();
    private final NavigableMap<byte[], NavigableMap<Long, byte[]>> data =
            new TreeMap<>(Arrays::compareUnsigned);
    private final List<CommittedWrite> committedWrites = new ArrayList<>();
    private final List<FakeWatch> watches = new ArrayList<>();
    private final Deque<Integer> commitFailures = new ArrayDeque<>();
    private final Deque<Integer> commitFailuresAfterApply = new ArrayDeque<>();
    private long version = 1_000_000;
    private long versionOffset;
    private int maxWatches = 10_000;
    private int commits;
    private int failEveryCommitCode;
    private int failedCommits;
    private volatile IntConsumer transactionHook;
    private final AtomicInteger transactionsCreated = new AtomicInteger();

    // ---- test controls -------------------------------------------------------------------

    /** Makes the next commits that write something fail with these codes, before applying. */
    public synchronized void failNextCommits(int code, int count) {
        for (int i = 0; i < count; i++) {
            commitFailures.add(code);
        }
    }

    /** Makes every commit, read-only ones too, fail with {@code code}; 0 ends it. */
    public synchronized void failEveryCommit(int code) {
        this.failEveryCommitCode = code;
    }

    /**
     * Calls {@code hook} with the count of transactions created so far each time one is
     * created, before it is handed out; null removes it.
     */
    public void onTransactionCreated(IntConsumer hook) {
        this.transactionHook = hook;
    }

    /** Makes the next commit that writes something apply, then report this code. */
    public synchronized void failNextCommitAfterApplying(int code) {
        commitFailuresAfterApply.add(code);
    }

    /** Fails every registered watch with {@code code}, as a storage server failure would. */
    public synchronized void failAllWatches(int code) {
        List<FakeWatch> failing = new ArrayList<>(watches);
        watches.clear();
        failing.forEach(watch -> executor.execute(() ->
                watch.completeExceptionally(new FDBException("injected watch failure", code))));
    }

    /** Forgets every registered watch without completing it, as if the server lost them. */
    public synchronized void dropAllWatches() {
        watches.clear();
    }

    /** Sets the number of watches that may be registered at once. */
    public synchronized void setMaxWatches(int count) {
        this.maxWatches = count;
    }

    /** Moves the version clock forward, as if {@code micros} microseconds had passed. */
    public synchronized void advanceVersion(long micros) {
        versionOffset += micros;
    }

    /** Returns the number of registered watches. */
    public synchronized int watchCount() {
        return watches.size();
    }

    /** Returns the number of commits that {@link #failEveryCommit} failed. */
    public synchronized int failedCommitCount() {
        return failedCommits;
    }

    /** Returns the number of commits that wrote something. */
    public synchronized int commitCount() {
        return commits;
    }

    /** Returns every live key-value pair whose key starts with the tuple's packing. */
    public synchronized Map<byte[], byte[]> dump(Tuple prefix) {
        byte[] begin = prefix.pack();
        Map<byte[], byte[]> result = new TreeMap<>(Arrays::compareUnsigned);
        rangeAt(begin, ByteArrayUtil.strinc(begin), Long.MAX_VALUE)
                .forEach(result::put);
        return result;
    }

    // ---- used by FakeTransaction -----------------------------------------------------------

    synchronized long currentVersion() {
        return version;
    }

    synchronized byte[] valueAt(byte[] key, long readVersion) {
        NavigableMap<Long, byte[]> versions = data.get(key);
        if (versions == null) {
            return null;
        }
        Map.Entry<Long, byte[]> entry = versions.floorEntry(readVersion);
        return entry == null ? null : entry.getValue();
    }

    synchronized NavigableMap<byte[], byte[]> rangeAt(byte[] begin, byte[] end, long readVersion) {
        NavigableMap<byte[], byte[]> result = new TreeMap<>(Arrays::compareUnsigned);
        for (Map.Entry<byte[], NavigableMap<Long, byte[]>> entry
                : data.subMap(begin, true, end, false).entrySet()) {
            Map.Entry<Long, byte[]> value = entry.getValue().floorEntry(readVersion);
            if (value != null && value.getValue() != null) {
                result.put(entry.getKey(), value.getValue());
            }
        }
        return result;
    }

    /** Commits a transaction's mutations; returns the commit version, or -1 if read-only. */
    synchronized long commit(FakeTransaction.State tx) {
        if (failEveryCommitCode != 0) {
            failedCommits++;
            throw new FDBException("injected failure of every commit", failEveryCommitCode);
        }
        if (!tx.mutations.isEmpty() && !commitFailures.isEmpty()) {
            throw new FDBException("injected commit failure", commitFailures.poll());
        }
        if (!tx.mutations.isEmpty()) {
            checkConflicts(tx);
        }
        long commitVersion = -1;
        if (!tx.mutations.isEmpty()) {
            commitVersion = nextVersion();
            byte[] versionstamp = ByteBuffer.allocate(10).putLong(commitVersion)
                    .putShort((short) 0).array();
            for (FakeTransaction.Mutation mutation : tx.mutations) {
                mutation.apply(this, commitVersion, versionstamp);
            }
            tx.versionstamp = versionstamp;
            commits++;
        }
        registerWatches(tx);
        fireWatches();
        if (!tx.mutations.isEmpty() && !commitFailuresAfterApply.isEmpty()) {
            throw new FDBException("injected unknown commit result",
                    commitFailuresAfterApply.poll());
        }
        return commitVersion;
    }

    void write(byte[] key, long commitVersion, byte[] value) {
        data.computeIfAbsent(key, k -> new TreeMap<>()).put(commitVersion, value);
        committedWrites.add(new CommittedWrite(commitVersion, key,
                Arrays.copyOf(key, key.length + 1)));
    }

    void clearRange(byte[] begin, byte[] end, long commitVersion) {
        for (Map.Entry<byte[], NavigableMap<Long, byte[]>> entry
                : data.subMap(begin, true, end, false).entrySet()) {
            entry.getValue().put(commitVersion, null);
        }
        committedWrites.add(new CommittedWrite(commitVersion, begin, end));
    }

    byte[] latest(byte[] key) {
        return valueAt(key, Long.MAX_VALUE);
    }

    private long nextVersion() {
        long clock = 1_000_000 + (System.nanoTime() - startNanos) / 1_000 + versionOffset;
        version = Math.max(version + 1, clock);
        return version;
    }

    private void checkConflicts(FakeTransaction.State tx) {
        for (byte[][] range : tx.readConflicts) {
            for (CommittedWrite write : committedWrites) {
                if (write.version > tx.readVersion
                        && Arrays.compareUnsigned(write.begin, range[1]) < 0
                        && Arrays.compareUnsigned(range[0], write.end) < 0) {
                    throw new FDBException("Transaction not committed due to conflict", 1020);
                }
            }
        }
    }

    private void registerWatches(FakeTransaction.State tx) {
        for (FakeWatch watch : tx.watches) {
            if (watch.isDone()) {
                continue;
            }
            if (watches.size() >= maxWatches) {
                executor.execute(() -> watch.completeExceptionally(
                        new FDBException("Too many watches currently set", 1032)));
                continue;
            }
            watch.registered = true;
            watches.add(watch);
        }
    }

    private void fireWatches() {
        Iterator<FakeWatch> it = watches.iterator();
        while (it.hasNext()) {
            FakeWatch watch = it.next();
            if (!Arrays.equals(latest(watch.key), watch.value)) {
                it.remove();
                executor.execute(() -> watch.complete(null));
            }
        }
    }

    synchronized void unregister(FakeWatch watch) {
        watches.remove(watch);
    }

    Executor executor() {
        return executor;
    }

    private record CommittedWrite(long version, byte[] begin, byte[] end) {
    }

    // ---- Database --------------------------------------------------------------------------

    @Override
    public Transaction createTransaction(Executor e) {
        int count = transactionsCreated.incrementAndGet();
        IntConsumer hook = transactionHook;
        if (hook != null) {
            hook.accept(count);
        }
        return new FakeTransaction(this, e);
    }

    @Override
    public Transaction createTransaction(Executor e, EventKeeper eventKeeper) {
        return createTransaction(e);
    }

    @Override
    public Executor getExecutor() {
        return executor;
    }

    @Override
    public <T> T run(Function<? super Transaction, T> retryable, Executor e) {
        Transaction tr = createTransaction(e);
        try {
            while (true) {
                try {
                    T result = retryable.apply(tr);
                    tr.commit().join();
                    return result;
                } catch (RuntimeException error) {
                    Throwable cause = error instanceof CompletionException
                            && error.getCause() != null ? error.getCause() : error;
                    if (!(cause instanceof FDBException)) {
                        throw error;
                    }
                    try {
                        tr = tr.onError(cause).join();
                    } catch (CompletionException failed) {
                        throw (FDBException) failed.getCause();
                    }
                }
            }
        } finally {
            tr.close();
        }
    }

    @Override
    public <T> T read(Function<? super ReadTransaction, T> retryable, Executor e) {
        return run(retryable::apply, e);
    }

    @Override
    public <T> CompletableFuture<T> runAsync(
            Function<? super Transaction, ? extends CompletableFuture<T>> retryable, Executor e) {
        return CompletableFuture.supplyAsync(() -> run(tr -> retryable.apply(tr).join(), e), e);
    }

    @Override
    public <T> CompletableFuture<T> readAsync(
            Function<? super ReadTransaction, ? extends CompletableFuture<T>> retryable,
            Executor e) {
        return runAsync(retryable::apply, e);
    }

    @Override
    public DatabaseOptions options() {
        return new DatabaseOptions((code, parameter) -> { });
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    // ---- not used by the store -------------------------------------------------------------

    @Override
    public Tenant openTenant(Tuple tenantName) {
        throw unsupported();
    }

    @Override
    public Tenant openTenant(byte[] tenantName, Executor e) {
        throw unsupported();
    }

    @Override
    public Tenant openTenant(Tuple tenantName, Executor e) {
        throw unsupported();
    }

    @Override
    public Tenant openTenant(byte[] tenantName, Executor e, EventKeeper eventKeeper) {
        throw unsupported();
    }

    @Override
    public Tenant openTenant(Tuple tenantName, Executor e, EventKeeper eventKeeper) {
        throw unsupported();
    }

    @Override
    public double getMainThreadBusyness() {
        return 0;
    }

    @Override
    public CompletableFuture<byte[]> purgeBlobGranules(byte[] beginKey, byte[] endKey,
            long purgeVersion, boolean force, Executor e) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<Void> waitPurgeGranulesComplete(byte[] purgeKey, Executor e) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<Boolean> blobbifyRange(byte[] beginKey, byte[] endKey, Executor e) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<Boolean> blobbifyRangeBlocking(byte[] beginKey, byte[] endKey,
            Executor e) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<Boolean> unblobbifyRange(byte[] beginKey, byte[] endKey,
            Executor e) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<KeyRangeArrayResult> listBlobbifiedRanges(byte[] beginKey,
            byte[] endKey, int rangeLimit, Executor e) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<Long> verifyBlobRange(byte[] beginKey, byte[] endKey, long version,
            Executor e) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<Boolean> flushBlobRange(byte[] beginKey, byte[] endKey,
            boolean compact, long version, Executor e) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<byte[]> getClientStatus(Executor e) {
        throw unsupported();
    }

    static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("not implemented by the fake database");
    }
}
