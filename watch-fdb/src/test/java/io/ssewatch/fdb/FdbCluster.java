package io.ssewatch.fdb;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.apple.foundationdb.Database;
import com.apple.foundationdb.FDB;
import com.apple.foundationdb.subspace.Subspace;
import com.apple.foundationdb.tuple.Tuple;
import java.util.UUID;

/**
 * The FoundationDB cluster of the cluster tests, named by the {@code FDB_CLUSTER_FILE}
 * environment variable. Without it, or when {@code libfdb_c} does not load, every method
 * aborts the calling test through a JUnit assumption, so the test is reported as skipped
 * with the reason. Loading the native client is tried once per JVM: after a failed load the
 * {@code FDB} class cannot be used again in that JVM, which is why these tests run in their
 * own surefire execution.
 */
final class FdbCluster {

    /** The environment variable that names the cluster file. */
    static final String CLUSTER_FILE_VARIABLE = "FDB_CLUSTER_FILE";

    private static String skipReason;
    private static Database database;

    private FdbCluster() {
    }

    /** Returns the cluster file, or aborts the test when the variable is not set. */
    static String clusterFile() {
        String file = System.getenv(CLUSTER_FILE_VARIABLE);
        assumeTrue(file != null && !file.isBlank(), CLUSTER_FILE_VARIABLE + " is not set; the"
                + " cluster tests need a running FoundationDB 7.3 cluster and libfdb_c");
        return file;
    }

    /** Returns the shared database, opening it on first use, or aborts the test. */
    static synchronized Database database() {
        clusterFile();
        String reason = unavailableReason();
        assumeTrue(reason == null, reason);
        return database;
    }

    /**
     * Opens the shared database on first use and returns why the cluster tests cannot run, or
     * null when they can.
     */
    static synchronized String unavailableReason() {
        String file = System.getenv(CLUSTER_FILE_VARIABLE);
        if (file == null || file.isBlank()) {
            return CLUSTER_FILE_VARIABLE + " is not set; the cluster tests need a running"
                    + " FoundationDB 7.3 cluster and libfdb_c";
        }
        if (database == null && skipReason == null) {
            try {
                database = FDB.selectAPIVersion(FdbStoreConfig.DEFAULT_API_VERSION).open(file);
            } catch (LinkageError | RuntimeException e) {
                skipReason = "the FoundationDB client (libfdb_c) could not be loaded: " + e;
            }
        }
        return skipReason;
    }

    /** Returns a subspace no other test uses. */
    static Subspace newSubspace() {
        return new Subspace(Tuple.from("sse-watch-test", UUID.randomUUID().toString()));
    }

    /** Deletes every key of a test subspace. */
    static void clear(Subspace subspace) {
        database().run(tr -> {
            tr.clear(subspace.range());
            return null;
        });
    }
}
