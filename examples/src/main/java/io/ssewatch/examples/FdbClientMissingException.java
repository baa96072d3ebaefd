package io.ssewatch.examples;

/**
 * The FoundationDB client library {@code libfdb_c} could not be loaded, so {@code --store fdb}
 * cannot run in this JVM. The message names the package to install, and the cause is the
 * linkage error that the JVM raised.
 */
public final class FdbClientMissingException extends Exception {

    private static final long serialVersionUID = 1L;

    FdbClientMissingException(LinkageError cause) {
        super("the FoundationDB client library libfdb_c could not be loaded: " + summary(cause)
                + " (expected: the FoundationDB 7.3 client installed on this machine, for "
                + "example the foundationdb-clients package from "
                + "https://github.com/apple/foundationdb/releases, or libfdb_c.so in a "
                + "directory on LD_LIBRARY_PATH)", cause);
    }

    /**
     * Returns the first message of the chain that names the missing library. After a failed
     * load, later tries in the same JVM raise {@link NoClassDefFoundError} whose own message
     * does not say why.
     */
    private static String summary(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("fdb_c")) {
                return message;
            }
        }
        return String.valueOf(error);
    }
}
