package io.ssewatch.fdb.internal;

import com.apple.foundationdb.KeyValue;
import com.apple.foundationdb.Range;
import com.apple.foundationdb.StreamingMode;
import com.fasterxml.jackson.databind.JsonNode;
import io.ssewatch.api.ChangeEvent;
import io.ssewatch.api.Revision;
import io.ssewatch.api.Snapshot;
import io.ssewatch.api.StoreUnavailableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a collection's snapshot at one revision.
 *
 * <p>A collection that fits in one page is read in one transaction, and the snapshot's
 * revision is that transaction's read version. A larger one is read in pages, each in its
 * own transaction so that none exceeds FoundationDB's 5-second limit, each ending at a
 * resource boundary. The changes logged between the first page's read version and the last
 * page's are then replayed onto the pages they belong to (see {@link SnapshotAssembler}), so
 * the result is exact at the last page's read version. When the log was trimmed past the
 * first page's read version in the meantime, the read starts over, at most three times.
 * A page that fails with 1007 transaction_too_old is retried with half as many rows.
 *
 * <p>Thread-safe; {@link #read} blocks its thread.
 */
public final class SnapshotReader {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotReader.class);
    private static final int ATTEMPTS = 3;

    /** Minimum rows per page: more than the chunks of the largest body maxBodyBytes allows. */
    private static final int MIN_PAGE_ROWS = 100;

    private final StoreContext ctx;

    public SnapshotReader(StoreContext ctx) {
        this.ctx = ctx;
    }

    /** Reads the snapshot of {@code collection}. */
    public Snapshot read(String collection) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Snapshot snapshot = tryRead(collection);
            if (snapshot != null) {
                return snapshot;
            }
            LOG.info("Snapshot of {}: the log was trimmed while the pages were read"
                    + " (attempt {} of {})", collection, attempt, ATTEMPTS);
        }
        throw new StoreUnavailableException("snapshot of " + collection + ": the change log was"
                + " trimmed during each of " + ATTEMPTS + " paged reads (expected: a log max age"
                + " longer than a snapshot read takes)");
    }

    private Snapshot tryRead(String collection) {
        SnapshotAssembler assembler = new SnapshotAssembler(ctx.keys(), collection);
        Range range = ctx.keys().resourcesRange(collection);
        byte[] begin = range.begin;
        int rows = ctx.config().snapshotPageRows();
        Page page;
        int pages = 0;
        do {
            page = readPage(collection, begin, range.end, rows);
            rows = page.rows;
            assembler.addPage(page.revision, begin, page.resources);
            begin = page.next;
            pages++;
        } while (begin != null);
        if (pages == 1) {
            return assembler.build(page.revision);
        }
        LOG.debug("Snapshot of {} read in {} pages; replaying the log", collection, pages);
        if (!replayLog(collection, assembler, page.revision)) {
            return null;
        }
        return assembler.build(page.revision);
    }

    private Page readPage(String collection, byte[] begin, byte[] end, int initialRows) {
        int[] rows = {initialRows};
        return ctx.transact(tr -> {
            long readVersion = tr.getReadVersion().join();
            List<KeyValue> kvs = tr.getRange(begin, end, rows[0], false, StreamingMode.WANT_ALL)
                    .asList().join();
            return toPage(collection, readVersion, kvs, kvs.size() >= rows[0], rows[0]);
        }, error -> {
            if (ErrorCodes.codeOf(error) == ErrorCodes.TRANSACTION_TOO_OLD
                    && rows[0] / 2 >= MIN_PAGE_ROWS) {
                rows[0] /= 2;
                LOG.debug("Snapshot of {}: page too slow for one transaction; {} rows next",
                        collection, rows[0]);
            }
        });
    }

    private Page toPage(String collection, long readVersion, List<KeyValue> kvs, boolean cutOff,
            int rows) {
        int keep = kvs.size();
        byte[] next = null;
        if (cutOff) {
            // The last resource's remaining chunks may lie beyond the limit: read it again.
            String lastId = ctx.keys().decodeResourceKey(kvs.get(keep - 1).getKey()).id();
            while (keep > 0 && ctx.keys().decodeResourceKey(kvs.get(keep - 1).getKey()).id()
                    .equals(lastId)) {
                keep--;
            }
            if (keep == 0) {
                throw new IllegalStateException("resource " + collection + "/" + lastId
                        + " has at least " + rows + " chunks (expected: fewer than "
                        + MIN_PAGE_ROWS + ")");
            }
            next = ctx.keys().resourceRange(collection, lastId).begin;
        }
        Map<String, JsonNode> resources = new LinkedHashMap<>();
        int i = 0;
        while (i < keep) {
            String id = ctx.keys().decodeResourceKey(kvs.get(i).getKey()).id();
            List<byte[]> chunks = new ArrayList<>();
            while (i < keep && ctx.keys().decodeResourceKey(kvs.get(i).getKey()).id().equals(id)) {
                chunks.add(kvs.get(i).getValue());
                i++;
            }
            resources.put(id, ctx.codec().decodeBody(Chunks.join(chunks)));
        }
        return new Page(ctx.revisions().snapshot(readVersion), resources, next, rows);
    }

    /**
     * Replays the log from the first page's revision to {@code last}.
     *
     * @return false when the log no longer reaches back to the first page
     */
    private boolean replayLog(String collection, SnapshotAssembler assembler, Revision last) {
        byte[] begin = ctx.keys().logKeyAfter(collection, Revisions.bytes(
                assembler.firstRevision()));
        byte[] end = ctx.keys().logKeyAfter(collection, Revisions.bytes(last));
        int rows = ctx.config().logReadRows();
        while (true) {
            byte[] from = begin;
            int limit = rows;
            List<KeyValue> kvs = ctx.transact(tr -> tr.getRange(from, end, limit, false,
                    StreamingMode.WANT_ALL).asList().join());
            boolean cutOff = kvs.size() >= limit;
            List<List<ChangeEvent>> transactions = ctx.decoder().decode(collection, kvs, cutOff);
            if (cutOff && transactions.isEmpty()) {
                rows *= 2;
                continue;
            }
            for (List<ChangeEvent> transaction : transactions) {
                transaction.forEach(assembler::apply);
                ChangeEvent lastChange = transaction.get(transaction.size() - 1);
                begin = ctx.keys().logKeyAfter(collection, Revisions.bytes(lastChange.revision()));
            }
            if (!cutOff) {
                break;
            }
        }
        byte[] marker = ctx.transact(tr -> tr.get(ctx.keys().trimMarkerKey(collection)).join());
        return marker == null || Arrays.compareUnsigned(marker,
                Revisions.bytes(assembler.firstRevision())) <= 0;
    }

    private record Page(Revision revision, Map<String, JsonNode> resources, byte[] next,
            int rows) {
    }
}
