package io.ssewatch.examples.load;

import io.ssewatch.api.Revision;
import io.ssewatch.api.memory.InMemoryStore;
import io.ssewatch.examples.ApiPaths;
import io.ssewatch.examples.CollectionNames;
import io.ssewatch.examples.ExampleServer;
import io.ssewatch.examples.ServerOptions;
import java.net.InetSocketAddress;

/**
 * The example server on Jetty, in this JVM, over a counting in-memory store.
 *
 * <p>The load resources go straight into the store's {@code clusters} collection, whose
 * watch route sends bodies as stored, so each event's data is exactly a {@link Payloads}
 * body. The streams watch {@code /api/v2/clusters/?watch=true}; the snapshot also holds the
 * seeded cluster, which carries no commit time.
 */
final class SseWatchTarget implements LoadTarget {

    private static final int SEED_BATCH = 1_000;

    private CountingStore store;
    private InMemoryStore memory;
    private ExampleServer server;
    private int eventBytes;

    @Override
    public void start(LoadOptions options) throws Exception {
        eventBytes = options.eventBytes();
        memory = new InMemoryStore();
        store = new CountingStore(memory);
        server = ExampleServer.startOwning(ServerOptions.defaults().withPort(options.port()), store);
        seed(options.resources());
    }

    private void seed(int resources) {
        for (int from = 0; from < resources; from += SEED_BATCH) {
            int start = from;
            int end = Math.min(resources, from + SEED_BATCH);
            store.write(tx -> {
                for (int i = start; i < end; i++) {
                    tx.put(CollectionNames.CLUSTERS, Payloads.id(i),
                            Payloads.body(i, 0, eventBytes));
                }
            });
        }
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress(server.baseUri().getHost(), server.port());
    }

    @Override
    public String watchPath() {
        return ApiPaths.CLUSTERS + "?watch=true";
    }

    @Override
    public boolean contiguousIds() {
        return true;
    }

    @Override
    public long nextChangeId() {
        return leadingNumber(memory.currentRevision()) + 1;
    }

    @Override
    public long change(int index, long commitMicros) {
        Revision revision = store.put(CollectionNames.CLUSTERS, Payloads.id(index),
                Payloads.body(index, commitMicros, eventBytes));
        return leadingNumber(revision);
    }

    private static long leadingNumber(Revision revision) {
        String token = revision.token();
        return Long.parseLong(token.substring(0, token.indexOf('-')));
    }

    @Override
    public StoreReads storeReads() {
        return store.reads();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    /** Registers this target as {@code sse-watch}. */
    public static final class Factory implements LoadTarget.Factory {
        @Override
        public String name() {
            return "sse-watch";
        }

        @Override
        public LoadTarget create() {
            return new SseWatchTarget();
        }
    }
}
