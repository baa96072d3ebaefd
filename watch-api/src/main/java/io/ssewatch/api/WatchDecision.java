package io.ssewatch.api;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * The outcome of {@link WatchAuthorizer#authorize}: allowed for a principal, optionally with
 * a filter on the resources the watch may see, or denied with a status and a message.
 */
public final class WatchDecision {

    private static final Predicate<Resource> ALL = resource -> true;

    private final boolean allowed;
    private final int status;
    private final String message;
    private final String principal;
    private final Predicate<Resource> filter;

    private WatchDecision(boolean allowed, int status, String message, String principal,
            Predicate<Resource> filter) {
        this.allowed = allowed;
        this.status = status;
        this.message = message;
        this.principal = principal;
        this.filter = filter;
    }

    /**
     * Allows the watch.
     *
     * @param principal who is watching; the per-principal watch limit counts by it
     */
    public static WatchDecision allow(String principal) {
        return new WatchDecision(true, 200, null, Objects.requireNonNull(principal, "principal"),
                ALL);
    }

    /** Denies with 401: the request carries no valid credentials. */
    public static WatchDecision unauthorized(String message) {
        return new WatchDecision(false, 401, message, null, ALL);
    }

    /** Denies with 403: the credentials are valid but may not watch this route. */
    public static WatchDecision forbidden(String message) {
        return new WatchDecision(false, 403, message, null, ALL);
    }

    /**
     * Returns a copy that lets the watch see only resources accepted by {@code filter}, in
     * addition to the route's scope. The filter must be fast and must not block.
     */
    public WatchDecision withFilter(Predicate<Resource> filter) {
        if (!allowed) {
            throw new IllegalStateException("a denied decision has no resource filter");
        }
        return new WatchDecision(true, 200, null, principal, Objects.requireNonNull(filter));
    }

    public boolean isAllowed() {
        return allowed;
    }

    /** Returns 401 or 403 for a denial, 200 otherwise. */
    public int status() {
        return status;
    }

    /** Returns the denial message for the JSON body, or {@code null}. */
    public String message() {
        return message;
    }

    /** Returns the principal of an allowed watch, or {@code null}. */
    public String principal() {
        return principal;
    }

    /** Returns whether a resource filter was set with {@link #withFilter}. */
    public boolean hasFilter() {
        return filter != ALL;
    }

    /** Returns the resource filter; accepts everything unless set. */
    public Predicate<Resource> filter() {
        return filter;
    }

    @Override
    public String toString() {
        return allowed ? "allow(" + principal + ")" : "deny(" + status + ", " + message + ")";
    }
}
