package io.ssewatch.examples.load;

import java.net.InetSocketAddress;

/**
 * A server that the load tool measures: it serves watch streams of one collection and
 * commits the changes the tool drives.
 *
 * <p>The tool calls {@link #start} once, then {@link #change} from one driver thread, then
 * {@link #close}. Further servers plug in through {@link java.util.ServiceLoader} with a
 * {@link Factory}, as the WebFlux baseline module does.
 */
public interface LoadTarget extends AutoCloseable {

    /** Starts the server, on a loopback address, with {@code options.resources()} resources. */
    void start(LoadOptions options) throws Exception;

    /** Returns the address that the watch streams connect to. */
    InetSocketAddress address();

    /** Returns the path and query of a watch request. */
    String watchPath();

    /** Returns whether consecutive changes have consecutive ids, so a skipped id is a gap. */
    boolean contiguousIds();

    /**
     * Returns the id that the next change will have, or 0 when it is unknown; the tool uses it
     * to attribute deliveries to changes.
     */
    long nextChangeId();

    /**
     * Commits a change of the resource with this index; its body carries
     * {@code commitMicros} (see {@link Payloads}).
     *
     * @return the change's id, or -1 when the server does not say
     */
    long change(int index, long commitMicros) throws Exception;

    /** Returns the store's read counters, or {@code null} when this server has no store. */
    default StoreReads storeReads() {
        return null;
    }

    /** Returns whether the server runs in this JVM, so that its heap can be measured here. */
    default boolean inProcess() {
        return true;
    }

    /** Stops the server. */
    @Override
    void close();

    /**
     * Store reads so far.
     *
     * @param snapshots calls of {@code readSnapshot}
     * @param gets calls of {@code get}
     * @param follows calls of {@code follow}
     */
    record StoreReads(long snapshots, long gets, long follows) {
    }

    /** Creates a target by name; registered in {@code META-INF/services}. */
    interface Factory {

        /** Returns the name that {@code --server} selects this target by. */
        String name();

        LoadTarget create();
    }
}
