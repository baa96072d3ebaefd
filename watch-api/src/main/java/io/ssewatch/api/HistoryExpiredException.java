package io.ssewatch.api;

/** Signals that a store no longer keeps the changes after a requested revision. */
public class HistoryExpiredException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HistoryExpiredException(String message) {
        super(message);
    }
}
