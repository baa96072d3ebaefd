package io.ssewatch.fdb.internal;

import com.apple.foundationdb.KeyValue;
import com.apple.foundationdb.MutationType;
import com.apple.foundationdb.Range;
import com.apple.foundationdb.StreamingMode;
import com.apple.foundationdb.Transaction;
import io.ssewatch.fdb.FdbStoreConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trims the change logs of every collection by age and size, and deletes old idempotency
 * records.
 *
 * <p>Each step is one transaction: it reads the collection's trim marker (a conflicting read,
 * so two processes that trim the same log at once cannot both commit), the log size counter
 * and the oldest log rows (snapshot reads, so writers do not conflict with it), clears the
 * whole transactions that {@link Retention} selects, sets the marker to the revision of the
 * last one cleared and subtracts their bytes from the counter. Feeds whose cursor lies below
 * the marker end with {@code HistoryExpiredException}.
 *
 * <p>Every store process trims; concurrent trims of one collection serialize through the
 * marker conflict. Thread-safe; {@link #run()} blocks its thread.
 */
public final class Trimmer {

    private static final Logger LOG = LoggerFactory.getLogger(Trimmer.class);

    /** Log rows read per trim step. */
    private static final int ROWS_PER_STEP = 1_000;

    /** Steps per collection and run, so one busy collection cannot stall the others. */
    private static final int MAX_STEPS = 100;

    /** Head keys read per transaction while listing collections. */
    private static final int COLLECTIONS_PER_READ = 10_000;

    private final StoreContext ctx;
    private final Retention retention;
    private final LongSupplier clockMillis;

    public Trimmer(StoreContext ctx, LongSupplier clockMillis) {
        this.ctx = ctx;
        this.retention = new Retention(ctx.config().logMaxAge(), ctx.config().logMaxBytes());
        this.clockMillis = clockMillis;
    }

    /** Trims every collection once; returns the number of log transactions removed. */
    public long run() {
        long removed = 0;
        for (String collection : collections()) {
            removed += trim(collection);
        }
        trimIdempotencyRecords();
        return removed;
    }

    /** Trims one collection; returns the number of log transactions removed. */
    public long trim(String collection) {
        long removed = 0;
        int rows = ROWS_PER_STEP;
        for (int step = 0; step < MAX_STEPS; step++) {
            int limit = rows;
            Step result = ctx.transact(tr -> trimStep(tr, collection, limit));
            removed += result.removed;
            if (result.oneTransactionCutOff) {
                // The oldest transaction alone has more rows than the limit.
                rows *= 2;
            } else if (!result.more) {
                break;
            }
        }
        if (removed > 0) {
            LOG.debug("Trimmed {} transactions from the change log of {}", removed, collection);
        }
        return removed;
    }

    private Step trimStep(Transaction tr, String collection, int limit) {
        KeyLayout keys = ctx.keys();
        // A conflicting read: a concurrent trim of this collection that sets the marker first
        // makes this step retry and see the log it left.
        tr.get(keys.trimMarkerKey(collection)).join();
        long readVersion = tr.getReadVersion().join();
        byte[] counter = tr.snapshot().get(keys.logBytesKey(collection)).join();
        long logBytes = counter == null ? 0 : ByteBuffer.wrap(counter)
                .order(ByteOrder.LITTLE_ENDIAN).getLong();

        Range log = keys.logRange(collection);
        if (!mayNeedTrim(tr, log, logBytes, readVersion)) {
            return new Step(0, false, false);
        }
        List<KeyValue> rows = tr.snapshot().getRange(log, limit, false, StreamingMode.WANT_ALL)
                .asList().join();
        boolean cutOff = rows.size() >= limit;

        List<Commit> commits = commits(rows, cutOff);
        if (commits.isEmpty()) {
            return new Step(0, false, cutOff);
        }
        List<Retention.CommitSize> sizes = new ArrayList<>(commits.size());
        commits.forEach(commit -> sizes.add(commit.size));
        int count = retention.transactionsToTrim(sizes, logBytes, readVersion);
        if (count == 0) {
            return new Step(0, false, false);
        }

        Commit last = commits.get(count - 1);
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            bytes += commits.get(i).size.bytes();
        }
        tr.clear(log.begin, keys.logKeyAfter(collection, last.lastRevision));
        tr.set(keys.trimMarkerKey(collection), last.lastRevision);
        tr.mutate(MutationType.ADD, keys.logBytesKey(collection),
                WriteSession.littleEndian(-bytes));
        return new Step(count, count == commits.size() && cutOff, false);
    }

    /**
     * Returns whether the log is over its size limit or its oldest row is older than the
     * maximum age, reading only that row, so that a run over many quiet collections stays
     * cheap.
     */
    private boolean mayNeedTrim(Transaction tr, Range log, long logBytes, long readVersion) {
        if (logBytes > retention.maxBytes()) {
            return true;
        }
        List<KeyValue> oldest = tr.snapshot().getRange(log, 1).asList().join();
        if (oldest.isEmpty()) {
            return false;
        }
        byte[] revision = ctx.keys().decodeLogKey(oldest.get(0).getKey()).revision();
        return ByteBuffer.wrap(revision).getLong() < retention.cutoffVersion(readVersion);
    }

    /** Groups log rows into whole transactions; drops the last one of a cut-off read. */
    private List<Commit> commits(List<KeyValue> rows, boolean cutOff) {
        List<Commit> commits = new ArrayList<>();
        byte[] stamp = null;
        byte[] lastRevision = null;
        long bytes = 0;
        for (KeyValue row : rows) {
            byte[] revision = ctx.keys().decodeLogKey(row.getKey()).revision();
            byte[] rowStamp = Revisions.commitStamp(revision);
            if (stamp != null && !Arrays.equals(stamp, rowStamp)) {
                commits.add(commit(lastRevision, bytes));
                bytes = 0;
            }
            stamp = rowStamp;
            lastRevision = revision;
            bytes += row.getKey().length + row.getValue().length;
        }
        if (lastRevision != null && !cutOff) {
            commits.add(commit(lastRevision, bytes));
        }
        return commits;
    }

    private static Commit commit(byte[] lastRevision, long bytes) {
        long version = ByteBuffer.wrap(lastRevision).getLong();
        return new Commit(new Retention.CommitSize(version, bytes), lastRevision);
    }

    private List<String> collections() {
        List<String> collections = new ArrayList<>();
        Range heads = ctx.keys().headsRange();
        byte[] begin = heads.begin;
        while (true) {
            byte[] from = begin;
            List<KeyValue> rows = ctx.transact(tr -> tr.snapshot().getRange(from, heads.end,
                    COLLECTIONS_PER_READ, false, StreamingMode.WANT_ALL).asList().join());
            rows.forEach(row -> collections.add(ctx.keys().collectionOfHeadKey(row.getKey())));
            if (rows.size() < COLLECTIONS_PER_READ) {
                return collections;
            }
            byte[] lastKey = rows.get(rows.size() - 1).getKey();
            begin = Arrays.copyOf(lastKey, lastKey.length + 1);
        }
    }

    private void trimIdempotencyRecords() {
        long keepMinutes = 2 * FdbStoreConfig.MAX_OPERATION_TIMEOUT.toMinutes() + 1;
        long before = clockMillis.getAsLong() / 60_000 - keepMinutes;
        ctx.transact(tr -> {
            tr.clear(ctx.keys().idempotencyBefore(before));
            return null;
        });
    }

    private record Commit(Retention.CommitSize size, byte[] lastRevision) {
    }

    private record Step(long removed, boolean more, boolean oneTransactionCutOff) {
    }
}
