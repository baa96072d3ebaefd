package io.ssewatch.fdb.internal;

import com.apple.foundationdb.FDBException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * FoundationDB error codes that this store handles by name. Classifies errors in plain Java:
 * {@code FDBException.isRetryable()} and its siblings call into the native client, which the
 * pure tests cannot load. Stateless.
 */
public final class ErrorCodes {

    public static final int TRANSACTION_TOO_OLD = 1007;
    public static final int FUTURE_VERSION = 1009;
    public static final int NOT_COMMITTED = 1020;
    public static final int COMMIT_UNKNOWN_RESULT = 1021;
    public static final int TRANSACTION_CANCELLED = 1025;
    public static final int TRANSACTION_TIMED_OUT = 1031;
    public static final int TOO_MANY_WATCHES = 1032;
    public static final int WATCHES_DISABLED = 1034;
    public static final int CLUSTER_VERSION_CHANGED = 1039;
    public static final int OPERATION_CANCELLED = 1101;
    public static final int TRANSACTION_TOO_LARGE = 2101;
    public static final int KEY_TOO_LARGE = 2102;
    public static final int VALUE_TOO_LARGE = 2103;

    /** Code used for errors that are not {@link FDBException}s. */
    public static final int NOT_FDB = -1;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(TRANSACTION_TOO_OLD, "transaction_too_old"),
            Map.entry(FUTURE_VERSION, "future_version"),
            Map.entry(NOT_COMMITTED, "not_committed"),
            Map.entry(COMMIT_UNKNOWN_RESULT, "commit_unknown_result"),
            Map.entry(TRANSACTION_CANCELLED, "transaction_cancelled"),
            Map.entry(TRANSACTION_TIMED_OUT, "transaction_timed_out"),
            Map.entry(TOO_MANY_WATCHES, "too_many_watches"),
            Map.entry(WATCHES_DISABLED, "watches_disabled"),
            Map.entry(CLUSTER_VERSION_CHANGED, "cluster_version_changed"),
            Map.entry(OPERATION_CANCELLED, "operation_cancelled"),
            Map.entry(TRANSACTION_TOO_LARGE, "transaction_too_large"),
            Map.entry(KEY_TOO_LARGE, "key_too_large"),
            Map.entry(VALUE_TOO_LARGE, "value_too_large"));

    private ErrorCodes() {
    }

    /** Returns the error's FoundationDB code, looking through completion wrappers. */
    public static int codeOf(Throwable error) {
        Throwable cause = unwrap(error);
        return cause instanceof FDBException ? ((FDBException) cause).getCode() : NOT_FDB;
    }

    /** Returns the error without {@link CompletionException} or {@link ExecutionException}. */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Returns whether a commit that failed with this code may have been applied all the same,
     * as FoundationDB's {@code maybe_committed} predicate defines it for API version 730.
     */
    public static boolean isMaybeCommitted(int code) {
        return code == COMMIT_UNKNOWN_RESULT || code == CLUSTER_VERSION_CHANGED;
    }

    /** Returns the error's name, such as {@code transaction_too_old}, or "error". */
    public static String name(int code) {
        return code == NOT_FDB ? "not a FoundationDB error" : NAMES.getOrDefault(code, "error");
    }

    /** Returns a short description such as {@code transaction_too_old (1007)}. */
    public static String describe(Throwable error) {
        int code = codeOf(error);
        if (code == NOT_FDB) {
            Throwable cause = unwrap(error);
            return cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
        return name(code) + " (" + code + ")";
    }
}
