package io.ssewatch.fdb;

import com.apple.foundationdb.subspace.Subspace;
import com.apple.foundationdb.tuple.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of an {@link FdbStore}. Immutable and thread-safe; build one with
 * {@link #builder()}.
 */
public final class FdbStoreConfig {

    /** The FoundationDB API version used unless {@link Builder#apiVersion} sets another. */
    public static final int DEFAULT_API_VERSION = 730;

    /** The oldest API version this store supports: its timeouts survive retries from 610 on. */
    public static final int MIN_API_VERSION = 610;

    /** Maximum operation timeout; idempotency records are kept twice as long. */
    public static final Duration MAX_OPERATION_TIMEOUT = Duration.ofMinutes(5);

    private final String clusterFile;
    private final int apiVersion;
    private final Subspace subspace;
    private final List<String> directory;
    private final Duration logMaxAge;
    private final long logMaxBytes;
    private final Duration trimInterval;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final Duration pollInterval;
    private final Duration watchTimeout;
    private final int maxWatches;
    private final int databaseMaxWatches;
    private final Duration feedFailureTimeout;
    private final Duration operationTimeout;
    private final int maxBodyBytes;
    private final int snapshotPageRows;
    private final int logReadRows;
    private final int maxPendingTransactions;

    private FdbStoreConfig(Builder b) {
        this.clusterFile = b.clusterFile;
        this.apiVersion = b.apiVersion;
        this.subspace = b.subspace;
        this.directory = b.directory;
        this.logMaxAge = b.logMaxAge;
        this.logMaxBytes = b.logMaxBytes;
        this.trimInterval = b.trimInterval;
        this.backoffInitial = b.backoffInitial;
        this.backoffMax = b.backoffMax;
        this.pollInterval = b.pollInterval;
        this.watchTimeout = b.watchTimeout;
        this.maxWatches = b.maxWatches;
        this.databaseMaxWatches = b.databaseMaxWatches;
        this.feedFailureTimeout = b.feedFailureTimeout;
        this.operationTimeout = b.operationTimeout;
        this.maxBodyBytes = b.maxBodyBytes;
        this.snapshotPageRows = b.snapshotPageRows;
        this.logReadRows = b.logReadRows;
        this.maxPendingTransactions = b.maxPendingTransactions;
    }

    /** Returns a builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the cluster file path, or empty for the client's default cluster file. */
    public Optional<String> clusterFile() {
        return Optional.ofNullable(clusterFile);
    }

    /** Returns the FoundationDB API version that {@link FdbStore#open(FdbStoreConfig)} selects. */
    public int apiVersion() {
        return apiVersion;
    }

    /** Returns the subspace of every key of the store, unless a directory is set. */
    public Subspace subspace() {
        return subspace;
    }

    /** Returns the directory-layer path of the store, or empty to use the subspace. */
    public Optional<List<String>> directory() {
        return Optional.ofNullable(directory);
    }

    /** Returns how long change log entries are kept at least, unless the size limit hits. */
    public Duration logMaxAge() {
        return logMaxAge;
    }

    /** Returns the maximum size in bytes of one collection's change log. */
    public long logMaxBytes() {
        return logMaxBytes;
    }

    /** Returns the time between two trim runs, or zero when this store never trims. */
    public Duration trimInterval() {
        return trimInterval;
    }

    /** Returns the first wait after a failed read or watch. */
    public Duration backoffInitial() {
        return backoffInitial;
    }

    /** Returns the longest wait between retries. */
    public Duration backoffMax() {
        return backoffMax;
    }

    /**
     * Returns how often a followed collection without a FoundationDB watch re-reads its log:
     * one beyond {@link #maxWatches()}, or one whose watch failed with 1032 too_many_watches.
     */
    public Duration pollInterval() {
        return pollInterval;
    }

    /**
     * Returns how long a follower waits on its watch before it re-reads the log anyway, as a
     * backstop against a watch that never fires.
     */
    public Duration watchTimeout() {
        return watchTimeout;
    }

    /** Returns the maximum number of FoundationDB watches this store sets at once. */
    public int maxWatches() {
        return maxWatches;
    }

    /** Returns the watch limit set on a database the store opens itself, or 0 to keep it. */
    public int databaseMaxWatches() {
        return databaseMaxWatches;
    }

    /** Returns how long a follower may fail in a row before its feeds end. */
    public Duration feedFailureTimeout() {
        return feedFailureTimeout;
    }

    /**
     * Returns the time limit of one blocking operation, retries included: a
     * {@link FdbStore#write} call, a {@link FdbStore#get}, one page of a snapshot, one trim step.
     */
    public Duration operationTimeout() {
        return operationTimeout;
    }

    /** Returns the maximum size of one encoded resource body in bytes. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Returns the number of rows a snapshot reads per transaction at first. */
    public int snapshotPageRows() {
        return snapshotPageRows;
    }

    /** Returns the number of log rows a follower reads per transaction. */
    public int logReadRows() {
        return logReadRows;
    }

    /** Returns how many undelivered transactions a feed may queue before it ends. */
    public int maxPendingTransactions() {
        return maxPendingTransactions;
    }

    @Override
    public String toString() {
        return "FdbStoreConfig{clusterFile=" + (clusterFile == null ? "default" : clusterFile)
                + ", apiVersion=" + apiVersion
                + ", " + (directory != null ? "directory=" + directory : "subspace=" + subspace)
                + ", logMaxAge=" + logMaxAge + ", logMaxBytes=" + logMaxBytes
                + ", trimInterval=" + trimInterval + ", pollInterval=" + pollInterval
                + ", watchTimeout=" + watchTimeout
                + ", maxWatches=" + maxWatches + ", operationTimeout=" + operationTimeout + "}";
    }

    /** Collects settings; not thread-safe. Every setter rejects invalid values at once. */
    public static final class Builder {
        private String clusterFile;
        private int apiVersion = DEFAULT_API_VERSION;
        private Subspace subspace = new Subspace(Tuple.from("sse-watch"));
        private List<String> directory;
        private Duration logMaxAge = Duration.ofHours(1);
        private long logMaxBytes = 64L * 1024 * 1024;
        private Duration trimInterval = Duration.ofMinutes(1);
        private Duration backoffInitial = Duration.ofMillis(10);
        private Duration backoffMax = Duration.ofSeconds(1);
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration watchTimeout = Duration.ofSeconds(30);
        private int maxWatches = 9_000;
        private int databaseMaxWatches;
        private Duration feedFailureTimeout = Duration.ofSeconds(30);
        private Duration operationTimeout = Duration.ofSeconds(30);
        private int maxBodyBytes = 1_000_000;
        private int snapshotPageRows = 1_000;
        private int logReadRows = 1_000;
        private int maxPendingTransactions = 10_000;

        private Builder() {
        }

        /** Sets the cluster file path; by default the client's default cluster file. */
        public Builder clusterFile(String path) {
            this.clusterFile = Objects.requireNonNull(path, "clusterFile");
            return this;
        }

        /** Sets the API version, from {@value #MIN_API_VERSION} to 730; default 730. */
        public Builder apiVersion(int version) {
            if (version < MIN_API_VERSION || version > DEFAULT_API_VERSION) {
                throw new IllegalArgumentException("apiVersion: " + version + " (expected: "
                        + MIN_API_VERSION + " to " + DEFAULT_API_VERSION + ")");
            }
            this.apiVersion = version;
            return this;
        }

        /** Sets the subspace of every key; default the tuple {@code ("sse-watch")}. */
        public Builder subspace(Subspace subspace) {
            this.subspace = Objects.requireNonNull(subspace, "subspace");
            this.directory = null;
            return this;
        }

        /** Places the store in a directory-layer directory, created when missing. */
        public Builder directory(List<String> path) {
            if (path.isEmpty()) {
                throw new IllegalArgumentException("directory is empty (expected: a path such"
                        + " as [\"my-service\", \"sse-watch\"])");
            }
            this.directory = List.copyOf(path);
            return this;
        }

        /** Sets the minimum age of log entries before they are trimmed; default 1 hour. */
        public Builder logMaxAge(Duration age) {
            this.logMaxAge = positive("logMaxAge", age);
            return this;
        }

        /** Sets the maximum log size per collection in bytes; default 64 MiB. */
        public Builder logMaxBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("logMaxBytes: " + bytes + " (expected: > 0)");
            }
            this.logMaxBytes = bytes;
            return this;
        }

        /** Sets the time between trim runs, or zero to never trim; default 1 minute. */
        public Builder trimInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("trimInterval: " + interval
                        + " (expected: >= 0)");
            }
            this.trimInterval = interval;
            return this;
        }

        /** Sets the first and the longest retry wait; default 10 ms and 1 s. */
        public Builder backoff(Duration initial, Duration max) {
            positive("backoff initial", initial);
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff max: " + max
                        + " (expected: at least the initial " + initial + ")");
            }
            this.backoffInitial = initial;
            this.backoffMax = max;
            return this;
        }

        /** Sets how often collections without a watch re-read their log; default 1 s. */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = positive("pollInterval", interval);
            return this;
        }

        /** Sets how long to wait on a watch before re-reading anyway; default 30 s. */
        public Builder watchTimeout(Duration timeout) {
            this.watchTimeout = positive("watchTimeout", timeout);
            return this;
        }

        /** Sets the maximum number of watches this store sets at once; default 9,000. */
        public Builder maxWatches(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("maxWatches: " + count + " (expected: >= 0)");
            }
            this.maxWatches = count;
            return this;
        }

        /**
         * Sets the database's watch limit ({@code DatabaseOptions.setMaxWatches}) when the store
         * opens the database itself; 0, the default, keeps FoundationDB's 10,000.
         */
        public Builder databaseMaxWatches(int count) {
            if (count < 0 || count > 1_000_000) {
                throw new IllegalArgumentException("databaseMaxWatches: " + count
                        + " (expected: 0 to 1000000)");
            }
            this.databaseMaxWatches = count;
            return this;
        }

        /** Sets how long a follower may fail in a row before its feeds end; default 30 s. */
        public Builder feedFailureTimeout(Duration timeout) {
            this.feedFailureTimeout = positive("feedFailureTimeout", timeout);
            return this;
        }

        /** Sets the time limit of one operation, retries included; default 30 s, max 5 min. */
        public Builder operationTimeout(Duration timeout) {
            positive("operationTimeout", timeout);
            if (timeout.compareTo(MAX_OPERATION_TIMEOUT) > 0) {
                throw new IllegalArgumentException("operationTimeout: " + timeout + " (expected: at"
                        + " most " + MAX_OPERATION_TIMEOUT + ")");
            }
            this.operationTimeout = timeout;
            return this;
        }

        /** Sets the maximum encoded body size in bytes; default 1,000,000, max 4,000,000. */
        public Builder maxBodyBytes(int bytes) {
            if (bytes < 1 || bytes > 4_000_000) {
                throw new IllegalArgumentException("maxBodyBytes: " + bytes
                        + " (expected: 1 to 4000000, because a transaction holds at most"
                        + " 10,000,000 bytes and an update writes the body up to three times)");
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /** Sets the rows a snapshot reads per transaction at first; default 1,000. */
        public Builder snapshotPageRows(int rows) {
            this.snapshotPageRows = atLeast("snapshotPageRows", rows, 100);
            return this;
        }

        /** Sets the log rows a follower reads per transaction; default 1,000. */
        public Builder logReadRows(int rows) {
            this.logReadRows = atLeast("logReadRows", rows, 1);
            return this;
        }

        /** Sets how many transactions a feed may queue before it ends; default 10,000. */
        public Builder maxPendingTransactions(int count) {
            this.maxPendingTransactions = atLeast("maxPendingTransactions", count, 1);
            return this;
        }

        /** Builds the configuration. */
        public FdbStoreConfig build() {
            return new FdbStoreConfig(this);
        }

        private static Duration positive(String name, Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }

        private static int atLeast(String name, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(name + ": " + value
                        + " (expected: >= " + min + ")");
            }
            return value;
        }
    }
}
