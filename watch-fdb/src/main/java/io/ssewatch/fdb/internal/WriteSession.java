package io.ssewatch.fdb.internal;

import com.apple.foundationdb.MutationType;
import com.apple.foundationdb.Transaction;
import com.fasterxml.jackson.databind.JsonNode;
import io.ssewatch.api.ChangeType;
import io.ssewatch.api.Resource;
import io.ssewatch.api.StoreTransaction;
import io.ssewatch.api.internal.Names;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The store's writes inside one FoundationDB transaction.
 *
 * <p>Writes are buffered, the latest write per resource winning, and {@link #apply()} turns
 * them into mutations: for each change, the resource's chunks, the log entry's chunks under
 * versionstamped keys with consecutive user versions, and per collection one atomic ADD on
 * the head key (so its value changes and watches fire) and one on the log size counter. The
 * state before each change is read inside the transaction, so a concurrent write to the same
 * resource makes the commit conflict and retry instead of logging a wrong {@code before}.
 *
 * <p>Valid only on the thread that runs the transaction's work, until {@link #apply()}.
 */
public final class WriteSession implements StoreTransaction {

    private static final byte[] ONE = littleEndian(1);

    private final Transaction tr;
    private final StoreContext ctx;
    private final int firstUserVersion;
    private final Map<String, PendingWrite> pending = new LinkedHashMap<>();
    private boolean applied;

    /**
     * Creates a session.
     *
     * @param firstUserVersion the user version of the first change; more than 0 when an
     *     earlier session already wrote changes into the same transaction
     */
    public WriteSession(Transaction tr, StoreContext ctx, int firstUserVersion) {
        this.tr = tr;
        this.ctx = ctx;
        this.firstUserVersion = firstUserVersion;
    }

    @Override
    public Optional<Resource> get(String collection, String id) {
        checkActive();
        Names.check("collection", collection);
        Names.check("id", id);
        PendingWrite write = pending.get(key(collection, id));
        if (write != null) {
            return Optional.ofNullable(write.body).map(body -> new Resource(id, body));
        }
        return ctx.readResource(tr, collection, id).join().map(body -> new Resource(id, body));
    }

    @Override
    public void put(String collection, String id, JsonNode body) {
        checkActive();
        checkNames(collection, id);
        if (body == null) {
            throw new IllegalArgumentException("body of " + collection + "/" + id
                    + " is null (expected: a JSON value; use delete to remove a resource)");
        }
        byte[] encoded = ctx.codec().encodeBody(body);
        int max = ctx.config().maxBodyBytes();
        if (encoded.length > max) {
            throw new IllegalArgumentException("body of " + collection + "/" + id + ": "
                    + encoded.length + " bytes of JSON (expected: at most " + max
                    + " bytes; raise FdbStoreConfig.maxBodyBytes or store less)");
        }
        String key = key(collection, id);
        pending.remove(key);
        pending.put(key, new PendingWrite(collection, id, body, encoded));
    }

    @Override
    public void delete(String collection, String id) {
        checkActive();
        checkNames(collection, id);
        String key = key(collection, id);
        pending.remove(key);
        pending.put(key, new PendingWrite(collection, id, null, null));
    }

    /**
     * Writes the buffered changes into the transaction and ends the session.
     *
     * @throws IllegalArgumentException when the transaction would hold more changes than
     *     user versions allow
     */
    public Applied apply() {
        checkActive();
        applied = true;
        List<CompletableFuture<Optional<byte[]>>> befores = new ArrayList<>();
        for (PendingWrite write : pending.values()) {
            befores.add(ctx.readResourceBytes(tr, write.collection, write.id));
        }
        Map<String, Long> logBytes = new LinkedHashMap<>();
        int userVersion = firstUserVersion;
        int i = 0;
        for (PendingWrite write : pending.values()) {
            byte[] before = befores.get(i++).join().orElse(null);
            if (before == null && write.body == null) {
                continue;
            }
            if (userVersion > Revisions.MAX_USER_VERSION) {
                throw new IllegalArgumentException("transaction writes more than "
                        + (Revisions.MAX_USER_VERSION + 1) + " changes (expected: fewer;"
                        + " split the work into several transactions)");
            }
            writeResource(write);
            long bytes = writeLogEntry(write, before, userVersion);
            logBytes.merge(write.collection, bytes, Long::sum);
            userVersion++;
        }
        logBytes.forEach((collection, bytes) -> {
            tr.mutate(MutationType.ADD, ctx.keys().headKey(collection), ONE);
            tr.mutate(MutationType.ADD, ctx.keys().logBytesKey(collection), littleEndian(bytes));
        });
        return new Applied(userVersion - firstUserVersion, userVersion);
    }

    private void writeResource(PendingWrite write) {
        tr.clear(ctx.keys().resourceRange(write.collection, write.id));
        if (write.body == null) {
            return;
        }
        List<byte[]> chunks = Chunks.split(write.encoded);
        for (int c = 0; c < chunks.size(); c++) {
            tr.set(ctx.keys().resourceKey(write.collection, write.id, c), chunks.get(c));
        }
    }

    /** Writes the log entry of one change and returns its size in bytes. */
    private long writeLogEntry(PendingWrite write, byte[] before, int userVersion) {
        ChangeType type = before == null ? ChangeType.CREATED
                : write.body == null ? ChangeType.DELETED : ChangeType.UPDATED;
        JsonNode beforeNode = before == null ? null : ctx.codec().decodeBody(before);
        byte[] entry = ctx.codec().encodeChange(type, write.id, beforeNode, write.body);
        List<byte[]> chunks = Chunks.split(entry);
        long bytes = 0;
        for (int c = 0; c < chunks.size(); c++) {
            byte[] key = ctx.keys().logKeyTemplate(write.collection, userVersion, c);
            tr.mutate(MutationType.SET_VERSIONSTAMPED_KEY, key, chunks.get(c));
            bytes += key.length - Integer.BYTES + chunks.get(c).length;
        }
        return bytes;
    }

    private void checkNames(String collection, String id) {
        Names.check("collection", collection);
        Names.check("id", id);
        // 255 is the largest chunk index whose tuple encoding has 2 bytes, more than the
        // chunks of any body maxBodyBytes allows, so the check holds for every chunk key.
        int size = ctx.keys().maxKeySize(collection, id, 256);
        if (size > KeyLayout.MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key of " + collection + "/" + id + ": " + size
                    + " bytes with the store's prefix (expected: at most "
                    + KeyLayout.MAX_KEY_BYTES + " bytes, FoundationDB's key limit; use a"
                    + " shorter collection name or id)");
        }
    }

    private void checkActive() {
        if (applied) {
            throw new IllegalStateException("the store transaction has already been applied");
        }
    }

    private static String key(String collection, String id) {
        return collection + '\u0000' + id;
    }

    static byte[] littleEndian(long value) {
        return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value)
                .array();
    }

    /**
     * The outcome of {@link #apply()}.
     *
     * @param changes how many changes were written
     * @param nextUserVersion the user version after the last change written
     */
    public record Applied(int changes, int nextUserVersion) {

        /** Returns the user version of the last change; valid when {@code changes > 0}. */
        public int lastUserVersion() {
            return nextUserVersion - 1;
        }
    }

    private record PendingWrite(String collection, String id, JsonNode body, byte[] encoded) {
    }
}
