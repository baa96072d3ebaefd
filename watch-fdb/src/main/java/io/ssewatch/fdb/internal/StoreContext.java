package io.ssewatch.fdb.internal;

import com.apple.foundationdb.Database;
import com.apple.foundationdb.ReadTransaction;
import com.apple.foundationdb.Transaction;
import com.fasterxml.jackson.databind.JsonNode;
import io.ssewatch.api.StoreUnavailableException;
import io.ssewatch.fdb.FdbStoreConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the parts of one store share: the database, the key layout, the codecs, the settings
 * and the threads.
 *
 * @param db the database
 * @param keys the key layout inside the store's subspace
 * @param codec the JSON codec of bodies and log entries
 * @param revisions the revision codec with the store's epoch
 * @param decoder the log decoder
 * @param config the settings
 * @param scheduler the timer thread for backoff waits, poll intervals and trim runs
 * @param workers the threads that run blocking reads: snapshots and trims
 * @param loops the threads that run follower iterations, which never block
 * @param delivery the threads that call change listeners
 */
public record StoreContext(
        Database db, KeyLayout keys, EventCodec codec, Revisions revisions, LogDecoder decoder,
        FdbStoreConfig config, ScheduledExecutorService scheduler, ExecutorService workers,
        ExecutorService loops, ExecutorService delivery) {

    /**
     * Runs {@code body} in a transaction, commits it and retries with FoundationDB's retry loop
     * ({@code Transaction.onError}) under the store's operation timeout. Blocks the thread.
     *
     * @param onRetry receives each retryable FoundationDB error before the retry
     * @throws StoreUnavailableException when an error is not retryable or the time is up
     */
    public <T> T transact(Function<Transaction, T> body, Consumer<Throwable> onRetry) {
        Transaction tr = db.createTransaction();
        try {
            tr.options().setTimeout(config.operationTimeout().toMillis());
            while (true) {
                try {
                    T result = body.apply(tr);
                    tr.commit().join();
                    return result;
                } catch (RuntimeException e) {
                    if (ErrorCodes.codeOf(e) == ErrorCodes.NOT_FDB) {
                        throw e;
                    }
                    onRetry.accept(e);
                    tr = retry(tr, e);
                }
            }
        } finally {
            tr.close();
        }
    }

    /** Runs {@code body} like {@link #transact(Function, Consumer)}, without a retry hook. */
    public <T> T transact(Function<Transaction, T> body) {
        return transact(body, error -> { });
    }

    private static Transaction retry(Transaction tr, RuntimeException error) {
        try {
            return tr.onError(ErrorCodes.unwrap(error)).join();
        } catch (CompletionException e) {
            throw new StoreUnavailableException("FoundationDB transaction failed: "
                    + ErrorCodes.describe(e) + " (the cluster may be unreachable or overloaded;"
                    + " retry later)", ErrorCodes.unwrap(e));
        }
    }

    /** Reads one resource body, joining its chunks. */
    public CompletableFuture<Optional<JsonNode>> readResource(
            ReadTransaction tr, String collection, String id) {
        return readResourceBytes(tr, collection, id)
                .thenApply(bytes -> bytes.map(codec::decodeBody));
    }

    /** Reads the encoded body of one resource, joining its chunks. */
    public CompletableFuture<Optional<byte[]>> readResourceBytes(
            ReadTransaction tr, String collection, String id) {
        return tr.getRange(keys.resourceRange(collection, id)).asList().thenApply(rows -> {
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            List<byte[]> chunks = new ArrayList<>(rows.size());
            rows.forEach(row -> chunks.add(row.getValue()));
            return Optional.of(Chunks.join(chunks));
        });
    }
}
