package io.ssewatch.fdb.fake;

import com.apple.foundationdb.Database;
import com.apple.foundationdb.FDBException;
import com.apple.foundationdb.KeyArrayResult;
import com.apple.foundationdb.KeyRangeArrayResult;
import com.apple.foundationdb.KeySelector;
import com.apple.foundationdb.KeyValue;
import com.apple.foundationdb.MappedKeyValue;
import com.apple.foundationdb.MutationType;
import com.apple.foundationdb.Range;
import com.apple.foundationdb.ReadTransaction;
import com.apple.foundationdb.StreamingMode;
import com.apple.foundationdb.Transaction;
import com.apple.foundationdb.TransactionOptions;
import com.apple.foundationdb.async.AsyncIterable;
import com.apple.foundationdb.async.AsyncIterator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * A transaction of {@link FakeDatabase}. {@link #snapshot()} returns a view that shares the
 * transaction's state but adds no read conflicts.
 */
final class FakeTransaction implements Transaction {

    private static final int TIMEOUT_OPTION = 500;
    private static final Set<Integer> RETRYABLE = Set.of(1007, 1009, 1020, 1021, 1037, 1039, 1213);

    private final State state;
    private final boolean snapshot;

    FakeTransaction(FakeDatabase db, Executor executor) {
        this(new State(db, executor, System.nanoTime()), false);
    }

    private FakeTransaction(State state, boolean snapshot) {
        this.state = state;
        this.snapshot = snapshot;
    }

    /** The state of one attempt, shared with its snapshot view. */
    static final class State {
        final FakeDatabase db;
        final Executor executor;
        final long createdNanos;
        final List<Mutation> mutations = new ArrayList<>();
        final List<byte[][]> readConflicts = new ArrayList<>();
        final List<FakeWatch> watches = new ArrayList<>();
        final CompletableFuture<byte[]> versionstampFuture = new CompletableFuture<>();
        long readVersion = -1;
        long timeoutMillis;
        long committedVersion = -1;
        byte[] versionstamp;
        boolean committed;

        State(FakeDatabase db, Executor executor, long createdNanos) {
            this.db = db;
            this.executor = executor;
            this.createdNanos = createdNanos;
        }

        synchronized long readVersion() {
            if (readVersion < 0) {
                readVersion = db.currentVersion();
            }
            return readVersion;
        }
    }

    // ---- reads -----------------------------------------------------------------------------

    @Override
    public CompletableFuture<Long> getReadVersion() {
        return CompletableFuture.completedFuture(state.readVersion());
    }

    @Override
    public void setReadVersion(long version) {
        state.readVersion = version;
    }

    @Override
    public CompletableFuture<byte[]> get(byte[] key) {
        byte[] end = Arrays.copyOf(key, key.length + 1);
        addReadConflictRangeIfNotSnapshot(key, end);
        return CompletableFuture.completedFuture(view(key, end).get(key));
    }

    @Override
    public AsyncIterable<KeyValue> getRange(byte[] begin, byte[] end, int limit, boolean reverse,
            StreamingMode mode) {
        addReadConflictRangeIfNotSnapshot(begin, end);
        List<KeyValue> rows = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> entry : view(begin, end).entrySet()) {
            rows.add(new KeyValue(entry.getKey(), entry.getValue()));
        }
        if (reverse) {
            Collections.reverse(rows);
        }
        if (limit > 0 && rows.size() > limit) {
            rows = new ArrayList<>(rows.subList(0, limit));
        }
        return new Rows(rows);
    }

    @Override
    public AsyncIterable<KeyValue> getRange(byte[] begin, byte[] end) {
        return getRange(begin, end, 0, false, StreamingMode.ITERATOR);
    }

    @Override
    public AsyncIterable<KeyValue> getRange(byte[] begin, byte[] end, int limit) {
        return getRange(begin, end, limit, false, StreamingMode.ITERATOR);
    }

    @Override
    public AsyncIterable<KeyValue> getRange(byte[] begin, byte[] end, int limit,
            boolean reverse) {
        return getRange(begin, end, limit, reverse, StreamingMode.ITERATOR);
    }

    @Override
    public AsyncIterable<KeyValue> getRange(Range range) {
        return getRange(range.begin, range.end);
    }

    @Override
    public AsyncIterable<KeyValue> getRange(Range range, int limit) {
        return getRange(range.begin, range.end, limit);
    }

    @Override
    public AsyncIterable<KeyValue> getRange(Range range, int limit, boolean reverse) {
        return getRange(range.begin, range.end, limit, reverse);
    }

    @Override
    public AsyncIterable<KeyValue> getRange(Range range, int limit, boolean reverse,
            StreamingMode mode) {
        return getRange(range.begin, range.end, limit, reverse, mode);
    }

    /** Returns the live rows in [begin, end) at the read version, with this attempt's writes. */
    private NavigableMap<byte[], byte[]> view(byte[] begin, byte[] end) {
        NavigableMap<byte[], byte[]> rows = state.db.rangeAt(begin, end, state.readVersion());
        synchronized (state) {
            for (Mutation mutation : state.mutations) {
                mutation.applyToView(rows, begin, end);
            }
        }
        return rows;
    }

    @Override
    public boolean isSnapshot() {
        return snapshot;
    }

    @Override
    public ReadTransaction snapshot() {
        return new FakeTransaction(state, true);
    }

    @Override
    public boolean addReadConflictRangeIfNotSnapshot(byte[] begin, byte[] end) {
        if (snapshot) {
            return false;
        }
        addReadConflictRange(begin, end);
        return true;
    }

    @Override
    public boolean addReadConflictKeyIfNotSnapshot(byte[] key) {
        return addReadConflictRangeIfNotSnapshot(key, Arrays.copyOf(key, key.length + 1));
    }

    @Override
    public void addReadConflictRange(byte[] begin, byte[] end) {
        synchronized (state) {
            state.readConflicts.add(new byte[][] {begin, end});
        }
    }

    @Override
    public void addReadConflictKey(byte[] key) {
        addReadConflictRange(key, Arrays.copyOf(key, key.length + 1));
    }

    @Override
    public TransactionOptions options() {
        return new TransactionOptions((code, parameter) -> {
            if (code == TIMEOUT_OPTION) {
                state.timeoutMillis = ByteBuffer.wrap(parameter).order(ByteOrder.LITTLE_ENDIAN)
                        .getLong();
            }
        });
    }

    // ---- writes ----------------------------------------------------------------------------

    @Override
    public void set(byte[] key, byte[] value) {
        mutation((db, version, stamp) -> db.write(key, version, value), (rows, begin, end) -> {
            if (inRange(key, begin, end)) {
                rows.put(key, value);
            }
        });
    }

    @Override
    public void clear(byte[] key) {
        clear(key, Arrays.copyOf(key, key.length + 1));
    }

    @Override
    public void clear(byte[] begin, byte[] end) {
        mutation((db, version, stamp) -> db.clearRange(begin, end, version),
                (rows, from, to) -> rows.subMap(begin, true, end, false).clear());
    }

    @Override
    public void clear(Range range) {
        clear(range.begin, range.end);
    }

    @Override
    @Deprecated
    public void clearRangeStartsWith(byte[] prefix) {
        clear(Range.startsWith(prefix));
    }

    @Override
    public void mutate(MutationType type, byte[] key, byte[] param) {
        switch (type) {
            case ADD -> mutation(
                    (db, version, stamp) -> db.write(key, version, add(db.latest(key), param)),
                    (rows, begin, end) -> {
                        if (inRange(key, begin, end)) {
                            rows.put(key, add(rows.get(key), param));
                        }
                    });
            case SET_VERSIONSTAMPED_KEY -> mutation(
                    (db, version, stamp) -> db.write(substitute(key, stamp), version, param),
                    (rows, begin, end) -> { });
            case SET_VERSIONSTAMPED_VALUE -> mutation(
                    (db, version, stamp) -> db.write(key, version, substitute(param, stamp)),
                    (rows, begin, end) -> { });
            default -> throw FakeDatabase.unsupported();
        }
    }

    private void mutation(Applier applier, ViewApplier viewApplier) {
        synchronized (state) {
            if (state.committed) {
                throw new FDBException("Operation issued while a commit was outstanding", 2017);
            }
            state.mutations.add(new Mutation(applier, viewApplier));
        }
    }

    private static boolean inRange(byte[] key, byte[] begin, byte[] end) {
        return Arrays.compareUnsigned(key, begin) >= 0 && Arrays.compareUnsigned(key, end) < 0;
    }

    /** Little-endian addition; the old value is zero-extended or truncated to the param. */
    private static byte[] add(byte[] old, byte[] param) {
        byte[] result = new byte[param.length];
        int carry = 0;
        for (int i = 0; i < param.length; i++) {
            int a = old != null && i < old.length ? old[i] & 0xFF : 0;
            int sum = a + (param[i] & 0xFF) + carry;
            result[i] = (byte) sum;
            carry = sum >>> 8;
        }
        return result;
    }

    /** Replaces 10 bytes at the little-endian offset in the last 4 bytes, and drops those. */
    private static byte[] substitute(byte[] template, byte[] stamp) {
        int length = template.length - Integer.BYTES;
        int offset = ByteBuffer.wrap(template, length, Integer.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN).getInt();
        byte[] result = Arrays.copyOf(template, length);
        System.arraycopy(stamp, 0, result, offset, stamp.length);
        return result;
    }

    // ---- commit and watches ----------------------------------------------------------------

    @Override
    public CompletableFuture<Void> commit() {
        synchronized (state) {
            state.committed = true;
        }
        try {
            long version = state.db.commit(state);
            state.committedVersion = version;
            if (version < 0) {
                state.versionstampFuture.completeExceptionally(new FDBException(
                        "Transaction is read-only and therefore does not have a commit version",
                        2021));
            } else {
                state.versionstampFuture.complete(state.versionstamp);
            }
            return CompletableFuture.completedFuture(null);
        } catch (FDBException e) {
            state.versionstampFuture.completeExceptionally(e);
            state.watches.forEach(watch -> watch.completeExceptionally(e));
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> watch(byte[] key) {
        byte[] end = Arrays.copyOf(key, key.length + 1);
        FakeWatch watch = new FakeWatch(state.db, key, view(key, end).get(key));
        synchronized (state) {
            state.watches.add(watch);
        }
        return watch;
    }

    @Override
    public CompletableFuture<byte[]> getVersionstamp() {
        return state.versionstampFuture;
    }

    @Override
    public Long getCommittedVersion() {
        return state.committedVersion;
    }

    @Override
    public CompletableFuture<Transaction> onError(Throwable e) {
        if (!(e instanceof FDBException) || !RETRYABLE.contains(((FDBException) e).getCode())) {
            return CompletableFuture.failedFuture(e);
        }
        long elapsedMillis = (System.nanoTime() - state.createdNanos) / 1_000_000;
        if (state.timeoutMillis > 0 && elapsedMillis > state.timeoutMillis) {
            return CompletableFuture.failedFuture(
                    new FDBException("Operation aborted because the transaction timed out", 1031));
        }
        close();
        // Like FoundationDB from API version 610 on, the timeout spans all retries.
        FakeTransaction next = new FakeTransaction(
                new State(state.db, state.executor, state.createdNanos), false);
        next.state.timeoutMillis = state.timeoutMillis;
        return CompletableFuture.completedFuture(next);
    }

    @Override
    public void cancel() {
        close();
    }

    @Override
    public void close() {
        synchronized (state) {
            for (FakeWatch watch : state.watches) {
                if (!watch.registered && !watch.isDone()) {
                    watch.completeExceptionally(new FDBException("Operation aborted because"
                            + " the transaction was cancelled", 1025));
                }
            }
        }
    }

    // ---- contexts ---------------------------------------------------------------------------

    @Override
    public Database getDatabase() {
        return state.db;
    }

    @Override
    public Executor getExecutor() {
        return state.executor;
    }

    @Override
    public <T> T run(Function<? super Transaction, T> retryable) {
        return retryable.apply(this);
    }

    @Override
    public <T> CompletableFuture<T> runAsync(
            Function<? super Transaction, ? extends CompletableFuture<T>> retryable) {
        return retryable.apply(this).thenApply(Function.identity());
    }

    @Override
    public <T> T read(Function<? super ReadTransaction, T> retryable) {
        return retryable.apply(this);
    }

    @Override
    public <T> CompletableFuture<T> readAsync(
            Function<? super ReadTransaction, ? extends CompletableFuture<T>> retryable) {
        return retryable.apply(this).thenApply(Function.identity());
    }

    // ---- not used by the store -------------------------------------------------------------

    @Override
    public void addWriteConflictRange(byte[] begin, byte[] end) {
        throw FakeDatabase.unsupported();
    }

    @Override
    public void addWriteConflictKey(byte[] key) {
        throw FakeDatabase.unsupported();
    }

    @Override
    public CompletableFuture<Long> getApproximateSize() {
        throw FakeDatabase.unsupported();
    }

    @Override
    public CompletableFuture<byte[]> getKey(KeySelector selector) {
        throw FakeDatabase.unsupported();
    }

    @Override
    public AsyncIterable<KeyValue> getRange(KeySelector begin, KeySelector end) {
        throw FakeDatabase.unsupported();
    }

    @Override
    public AsyncIterable<KeyValue> getRange(KeySelector begin, KeySelector end, int limit) {
        throw FakeDatabase.unsupported();
    }

    @Override
    public AsyncIterable<KeyValue> getRange(KeySelector begin, KeySelector end, int limit,
            boolean reverse) {
        throw FakeDatabase.unsupported();
    }

    @Override
    public AsyncIterable<KeyValue> getRange(KeySelector begin, KeySelector end, int limit,
            boolean reverse, StreamingMode mode) {
        throw FakeDatabase.unsupported();
    }

    @Override
    public AsyncIterable<MappedKeyValue> getMappedRange(KeySelector begin, KeySelector end,
            byte[] mapper, int limit, boolean reverse, StreamingMode mode) {
        throw FakeDatabase.unsupported();
    }

    @Override
    public CompletableFuture<Long> getEstimatedRangeSizeBytes(byte[] begin, byte[] end) {
        throw FakeDatabase.unsupported();
    }

    @Override
    public CompletableFuture<Long> getEstimatedRangeSizeBytes(Range range) {
        throw FakeDatabase.unsupported();
    }

    @Override
    public CompletableFuture<KeyArrayResult> getRangeSplitPoints(byte[] begin, byte[] end,
            long chunkSize) {
        throw FakeDatabase.unsupported();
    }

    @Override
    public CompletableFuture<KeyArrayResult> getRangeSplitPoints(Range range, long chunkSize) {
        throw FakeDatabase.unsupported();
    }

    @Override
    public CompletableFuture<KeyRangeArrayResult> getBlobGranuleRanges(byte[] begin, byte[] end,
            int rowLimit) {
        throw FakeDatabase.unsupported();
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Applies a mutation to the database at commit. */
    interface Applier {
        void apply(FakeDatabase db, long version, byte[] versionstamp);
    }

    /** Applies a mutation to a read view of [begin, end). */
    interface ViewApplier {
        void apply(NavigableMap<byte[], byte[]> rows, byte[] begin, byte[] end);
    }

    /** One buffered write. */
    record Mutation(Applier applier, ViewApplier viewApplier) {

        void apply(FakeDatabase db, long version, byte[] versionstamp) {
            applier.apply(db, version, versionstamp);
        }

        void applyToView(NavigableMap<byte[], byte[]> rows, byte[] begin, byte[] end) {
            viewApplier.apply(rows, begin, end);
        }
    }

    /** A range read's rows, all read at once. */
    private static final class Rows implements AsyncIterable<KeyValue> {
        private final List<KeyValue> rows;

        Rows(List<KeyValue> rows) {
            this.rows = rows;
        }

        @Override
        public CompletableFuture<List<KeyValue>> asList() {
            return CompletableFuture.completedFuture(rows);
        }

        @Override
        public AsyncIterator<KeyValue> iterator() {
            Iterator<KeyValue> it = rows.iterator();
            return new AsyncIterator<>() {
                @Override
                public CompletableFuture<Boolean> onHasNext() {
                    return CompletableFuture.completedFuture(it.hasNext());
                }

                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public KeyValue next() {
                    return it.next();
                }

                @Override
                public void cancel() {
                }
            };
        }
    }
}
