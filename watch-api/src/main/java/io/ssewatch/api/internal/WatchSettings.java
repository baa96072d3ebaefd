package io.ssewatch.api.internal;

/**
 * The per-watch limits and intervals, fixed when the service is built. Times are in
 * nanoseconds, sizes in bytes.
 *
 * @param pingNanos quiet time after which a ping comment is written
 * @param retryMillis the reconnection delay announced with the snapshot
 * @param writeTimeoutNanos how long one write may stay incomplete before the stream is cut
 * @param bufferEvents queued events above which pending changes coalesce per resource
 * @param bufferBytes queued bytes above which pending changes coalesce per resource
 * @param maxBufferBytes queued bytes, after coalescing, above which the stream is closed
 * @param maxWriteBytes the largest batch of queued frames joined into one write
 * @param reauthorizeNanos how often an open stream is authorized again
 * @param maxEventBytes the largest rendered resource sent in an event
 */
public record WatchSettings(
        long pingNanos, long retryMillis, long writeTimeoutNanos, int bufferEvents,
        long bufferBytes, long maxBufferBytes, int maxWriteBytes, long reauthorizeNanos,
        int maxEventBytes) {
}
