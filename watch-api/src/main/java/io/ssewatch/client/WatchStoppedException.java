package io.ssewatch.client;

import java.util.Optional;

/**
 * The reason a {@link WatchClient} stopped for good: the server rejected the watch, or the
 * single resource it watched was deleted. Retrying the same request would not help, so the
 * client does not reconnect; fix the cause and start a new client.
 */
public final class WatchStoppedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The cause of a stop. */
    public enum Reason {
        /**
         * The server responded with an HTTP status that is not a transient failure (a 4xx
         * other than 408 and 429, a 3xx that was not followed, or a 2xx other than 200), or
         * with a 200 that is not {@code text/event-stream}.
         */
        REJECTED,
        /** A detail watch received {@code deleted} for its resource. */
        RESOURCE_DELETED
    }

    private final Reason reason;
    private final int statusCode;
    private final String detail;

    private WatchStoppedException(Reason reason, int statusCode, String detail, String message) {
        super(message);
        this.reason = reason;
        this.statusCode = statusCode;
        this.detail = detail;
    }

    static WatchStoppedException rejected(String target, int statusCode, String detail) {
        String message = "HTTP " + statusCode + " from " + target
                + (detail == null ? "" : ": \"" + detail + "\"")
                + " (the server rejected the watch; fix the URL, query or credentials and"
                + " start a new client)";
        return new WatchStoppedException(Reason.REJECTED, statusCode, detail, message);
    }

    static WatchStoppedException notEventStream(String target, String contentType) {
        String message = "HTTP 200 from " + target + " with Content-Type \"" + contentType
                + "\" (expected: text/event-stream; check that the URL is a watchable"
                + " endpoint)";
        return new WatchStoppedException(Reason.REJECTED, 200, null, message);
    }

    static WatchStoppedException resourceDeleted(String target, String id) {
        String message = "resource \"" + id + "\" watched at " + target + " was deleted";
        return new WatchStoppedException(Reason.RESOURCE_DELETED, -1, null, message);
    }

    public Reason reason() {
        return reason;
    }

    /** Returns the HTTP status of a {@link Reason#REJECTED} response, or -1 otherwise. */
    public int statusCode() {
        return statusCode;
    }

    /**
     * Returns the {@code detail} field of the server's JSON error body, if the response had
     * one.
     */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }
}
