package io.ssewatch.fdb.internal;

import java.time.Duration;
import java.util.List;

/**
 * How much of a collection's change log to keep: entries younger than a maximum age, and at
 * most a maximum number of bytes. Immutable and thread-safe.
 *
 * <p>Age is measured in commit versions. FoundationDB advances versions by about 1,000,000
 * per second of wall-clock time (the rate its documentation gives, and what its transaction
 * time limits are based on), so an age is converted to a version distance at that rate. The
 * conversion is an estimate: after a recovery the version may jump ahead, which makes entries
 * look older than they are.
 */
public record Retention(Duration maxAge, long maxBytes) {

    /** Versions per second of wall-clock time, as FoundationDB advances them. */
    public static final long VERSIONS_PER_SECOND = 1_000_000;

    public Retention {
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("log max age: " + maxAge + " (expected: > 0)");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("log max bytes: " + maxBytes + " (expected: > 0)");
        }
    }

    /** Returns the commit version below which entries are older than the maximum age. */
    public long cutoffVersion(long readVersion) {
        long distance = saturatedVersions(maxAge);
        return readVersion > distance ? readVersion - distance : 0;
    }

    /**
     * Returns how many of the oldest transactions to trim.
     *
     * @param oldest the oldest transactions of the log, oldest first
     * @param logBytes the size of the whole log in bytes
     * @param readVersion the current read version
     */
    public int transactionsToTrim(List<CommitSize> oldest, long logBytes, long readVersion) {
        long cutoff = cutoffVersion(readVersion);
        long remaining = logBytes;
        int count = 0;
        for (CommitSize commit : oldest) {
            if (commit.version() >= cutoff && remaining <= maxBytes) {
                break;
            }
            remaining -= commit.bytes();
            count++;
        }
        return count;
    }

    private static long saturatedVersions(Duration age) {
        long seconds = age.getSeconds();
        if (seconds >= Long.MAX_VALUE / VERSIONS_PER_SECOND) {
            return Long.MAX_VALUE;
        }
        return seconds * VERSIONS_PER_SECOND + age.getNano() / 1_000;
    }

    /**
     * The size of one transaction's entries in a collection's log.
     *
     * @param version the commit version
     * @param bytes the bytes of its keys and values
     */
    public record CommitSize(long version, long bytes) {
    }
}
