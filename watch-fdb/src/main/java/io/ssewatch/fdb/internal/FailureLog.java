package io.ssewatch.fdb.internal;

import org.slf4j.Logger;

/**
 * Logs the failures of one retry loop without flooding: the first failure with a given error
 * code at WARN, repeats of that code at DEBUG, and the recovery at INFO with the count. Not
 * thread-safe: each retry loop owns one.
 */
public final class FailureLog {

    private final Logger log;
    private final String subject;
    private int lastCode;
    private int failures;
    private long failingSinceNanos;

    /**
     * Creates a log.
     *
     * @param subject what is failing, for the messages, such as {@code follower of volumes}
     */
    public FailureLog(Logger log, String subject) {
        this.log = log;
        this.subject = subject;
    }

    /**
     * Records a failure.
     *
     * @return whether it was logged at WARN: the first failure, or another code than the last
     */
    public boolean failed(Throwable error, long nowNanos) {
        int code = ErrorCodes.codeOf(error);
        boolean first = failures == 0 || code != lastCode;
        if (failures == 0) {
            failingSinceNanos = nowNanos;
        }
        failures++;
        lastCode = code;
        if (first) {
            log.warn("{} failed: {}; retrying with backoff (repeats of this error are logged at"
                    + " DEBUG)", subject, ErrorCodes.describe(error));
        } else if (log.isDebugEnabled()) {
            log.debug("{} failed again: {} ({} failures in a row)", subject,
                    ErrorCodes.describe(error), failures);
        }
        return first;
    }

    /**
     * Records a success.
     *
     * @return whether it ended a run of failures, which is logged at INFO
     */
    public boolean succeeded(long nowNanos) {
        if (failures == 0) {
            return false;
        }
        log.info("{} recovered after {} failures in {} ms", subject, failures,
                (nowNanos - failingSinceNanos) / 1_000_000);
        failures = 0;
        return true;
    }

    /** Returns the number of failures in a row, 0 after a success. */
    public int failures() {
        return failures;
    }

    /** Returns how long the loop has been failing, or 0 when it is not failing. */
    public long failingForNanos(long nowNanos) {
        return failures == 0 ? 0 : nowNanos - failingSinceNanos;
    }
}
