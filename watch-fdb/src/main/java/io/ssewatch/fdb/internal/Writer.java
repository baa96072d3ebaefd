package io.ssewatch.fdb.internal;

import com.apple.foundationdb.MutationType;
import com.apple.foundationdb.Transaction;
import io.ssewatch.api.Revision;
import io.ssewatch.api.StoreTransaction;
import io.ssewatch.api.StoreUnavailableException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Runs {@code Store.write}: the work in a transaction, committed with FoundationDB's retry
 * loop ({@code Transaction.onError}), under one time limit for all attempts.
 *
 * <p>Deduplication after {@code commit_unknown_result}: every call draws a random 16-byte
 * token, and each attempt that writes changes also writes the key
 * {@code ("i", minute, token)} whose value becomes the revision of its last change
 * ({@code SET_VERSIONSTAMPED_VALUE}). When a commit fails with an error after which it may
 * have been applied (1021 {@code commit_unknown_result}, 1039
 * {@code cluster_version_changed}), the next attempt first reads the keys of the uncertain
 * attempts; if one exists, the earlier attempt committed and its revision is returned without
 * running the work again. So the log never contains the same call's changes twice. The trimmer
 * deletes these keys after twice {@link io.ssewatch.fdb.FdbStoreConfig#MAX_OPERATION_TIMEOUT}.
 *
 * <p>Thread-safe; each call runs on the caller's thread and blocks it.
 */
public final class Writer {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoreContext ctx;
    private final LongSupplier clockMillis;

    public Writer(StoreContext ctx, LongSupplier clockMillis) {
        this.ctx = ctx;
        this.clockMillis = clockMillis;
    }

    /** Runs {@code work} until one attempt commits; see the class comment. */
    public Revision write(Consumer<StoreTransaction> work) {
        byte[] token = new byte[16];
        RANDOM.nextBytes(token);
        List<Long> uncertainMinutes = new ArrayList<>();
        Transaction tr = ctx.db().createTransaction();
        try {
            tr.options().setTimeout(ctx.config().operationTimeout().toMillis());
            while (true) {
                long minute = clockMillis.getAsLong() / 60_000;
                try {
                    Revision earlier = findCommitted(tr, uncertainMinutes, token);
                    if (earlier != null) {
                        return earlier;
                    }
                    return attempt(tr, work, minute, token);
                } catch (RuntimeException e) {
                    int code = ErrorCodes.codeOf(e);
                    if (code == ErrorCodes.NOT_FDB) {
                        throw e;
                    }
                    if (ErrorCodes.isMaybeCommitted(code)) {
                        uncertainMinutes.add(minute);
                    }
                    tr = retry(tr, e);
                }
            }
        } finally {
            tr.close();
        }
    }

    private Revision attempt(Transaction tr, Consumer<StoreTransaction> work, long minute,
            byte[] token) {
        WriteSession session = new WriteSession(tr, ctx, 0);
        work.accept(session);
        WriteSession.Applied applied = session.apply();
        if (applied.changes() == 0) {
            long readVersion = tr.getReadVersion().join();
            tr.commit().join();
            return ctx.revisions().snapshot(readVersion);
        }
        tr.mutate(MutationType.SET_VERSIONSTAMPED_VALUE, ctx.keys().idempotencyKey(minute, token),
                stampedValue(applied.lastUserVersion()));
        CompletableFuture<byte[]> stamp = tr.getVersionstamp();
        tr.commit().join();
        return ctx.revisions().change(stamp.join(), applied.lastUserVersion());
    }

    /** Returns the revision an uncertain earlier attempt committed, or null. */
    private Revision findCommitted(Transaction tr, List<Long> minutes, byte[] token) {
        for (long minute : minutes) {
            byte[] value = tr.get(ctx.keys().idempotencyKey(minute, token)).join();
            if (value != null) {
                return ctx.revisions().of(value);
            }
        }
        return null;
    }

    private Transaction retry(Transaction tr, RuntimeException error) {
        Throwable cause = ErrorCodes.unwrap(error);
        try {
            return tr.onError(cause).join();
        } catch (CompletionException e) {
            throw translate(ErrorCodes.unwrap(e));
        }
    }

    private static RuntimeException translate(Throwable error) {
        int code = ErrorCodes.codeOf(error);
        if (code == ErrorCodes.TRANSACTION_TOO_LARGE || code == ErrorCodes.KEY_TOO_LARGE
                || code == ErrorCodes.VALUE_TOO_LARGE) {
            return new IllegalArgumentException("write rejected by FoundationDB: "
                    + ErrorCodes.describe(error) + " (expected: at most 10,000,000 bytes per"
                    + " transaction, split the work into several writes)", error);
        }
        return new StoreUnavailableException("write failed: " + ErrorCodes.describe(error)
                + " (the store may be unreachable or overloaded; retry later)", error);
    }

    /**
     * Returns the parameter of a {@code SET_VERSIONSTAMPED_VALUE} that stores a revision: a
     * 10-byte placeholder for the commit versionstamp, the user version, and the 4-byte
     * little-endian offset 0 of the placeholder.
     */
    static byte[] stampedValue(int userVersion) {
        return ByteBuffer.allocate(Revisions.LENGTH + Integer.BYTES).order(ByteOrder.BIG_ENDIAN)
                .put(new byte[Revisions.LENGTH - 2]).putShort((short) userVersion)
                .order(ByteOrder.LITTLE_ENDIAN).putInt(0).array();
    }
}
