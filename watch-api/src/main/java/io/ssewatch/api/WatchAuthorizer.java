package io.ssewatch.api;

import io.ssewatch.api.adapter.WatchRequest;

/**
 * The host's authorization hook for watches.
 *
 * <p>Called when a watch opens, before anything is sent: a denial responds with 401 or 403 and a
 * JSON body, which stops a browser's {@code EventSource} for good. Called again on the
 * service's re-authorization interval while the stream is open: a denial then ends the
 * stream, and the client's reconnect gets the 401 or 403. The decision's resource filter
 * applies to everything the watch sends: the snapshot, replayed history on resume, and live
 * changes.
 *
 * <p>Runs on the request thread when the watch opens, and on a shared worker thread for
 * re-authorization, never concurrently for one watch. It may block briefly (a token
 * introspection call), but every re-authorization of the process shares one thread.
 */
@FunctionalInterface
public interface WatchAuthorizer {

    /** Allows every watch, for one anonymous principal. */
    WatchAuthorizer ALLOW_ALL = (request, route, params) -> WatchDecision.allow("anonymous");

    /**
     * Decides whether a request may watch a route.
     *
     * @param request the request as the adapter saw it, with its headers and the adapter's
     *     native request object; on re-authorization, the original request
     * @param route the matched route
     * @param params the route's path parameters
     */
    WatchDecision authorize(WatchRequest request, WatchRoute route, PathParams params);
}
