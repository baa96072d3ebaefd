package io.ssewatch.api.memory;

import com.fasterxml.jackson.databind.JsonNode;
import io.ssewatch.api.ChangeEvent;
import io.ssewatch.api.ChangeFeed;
import io.ssewatch.api.ChangeListener;
import io.ssewatch.api.ChangeType;
import io.ssewatch.api.HistoryExpiredException;
import io.ssewatch.api.InvalidRevisionException;
import io.ssewatch.api.Resource;
import io.ssewatch.api.Revision;
import io.ssewatch.api.Snapshot;
import io.ssewatch.api.Store;
import io.ssewatch.api.StoreTransaction;
import io.ssewatch.api.internal.Names;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread-safe store that keeps everything in memory: the embedded default, for tests, the
 * example server and single-process services.
 *
 * <p>Writes are serialized by one lock. Every change gets the next value of a store-wide
 * counter as its revision, so the changes of one transaction are consecutive. Each
 * collection keeps a log of its most recent changes ({@link #DEFAULT_LOG_LIMIT} by default)
 * from which feeds are served; a feed that falls behind the log ends with
 * {@link HistoryExpiredException}.
 *
 * <p>Revision tokens look like {@code 17-9c1e44d2}: the counter, then a random number
 * chosen when the store was created. A token from an earlier store, such as one from before
 * a restart, parses as "not reachable", so the client gets a fresh snapshot instead of
 * changes that belong to another history.
 *
 * <p>Feeds are delivered on a small pool of daemon threads, one feed at a time per
 * subscription, so a slow listener delays only itself.
 */
public final class InMemoryStore implements Store {

    /** Default number of changes each collection's log keeps for feeds that fall behind. */
    public static final int DEFAULT_LOG_LIMIT = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryStore.class);
    private static final Pattern TOKEN = Pattern.compile("([0-9]{1,18})-([0-9a-f]{8})");
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Object lock = new Object();
    private final Map<String, StoredCollection> collections = new HashMap<>();
    private final String epoch;
    private final int logLimit;
    private final ExecutorService feedExecutor;
    private long sequence;
    private boolean closed;

    /** Creates a store whose collection logs keep {@link #DEFAULT_LOG_LIMIT} changes. */
    public InMemoryStore() {
        this(DEFAULT_LOG_LIMIT);
    }

    /**
     * Creates a store.
     *
     * @param logLimit how many of its most recent changes each collection keeps for feeds
     */
    public InMemoryStore(int logLimit) {
        if (logLimit < 1) {
            throw new IllegalArgumentException("logLimit: " + logLimit + " (expected: > 0)");
        }
        this.logLimit = logLimit;
        this.epoch = String.format("%08x", new SecureRandom().nextInt());
        int instance = INSTANCES.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.feedExecutor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable,
                    "sse-watch-memory-" + instance + "-feed-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        LOG.info("In-memory store {} started (epoch {}, log limit {})", instance, epoch, logLimit);
    }

    @Override
    public Optional<Revision> parseRevision(String token) {
        Matcher matcher = TOKEN.matcher(token);
        if (!matcher.matches()) {
            throw new InvalidRevisionException("revision: \"" + token
                    + "\" is malformed (expected: a revision issued by this server, such as \""
                    + revision(sequence()).token() + "\")");
        }
        if (!matcher.group(2).equals(epoch)) {
            return Optional.empty();
        }
        long value = Long.parseLong(matcher.group(1));
        long current = sequence();
        if (value > current) {
            throw new InvalidRevisionException("revision: \"" + token
                    + "\" is ahead of this server's newest revision \"" + revision(current).token()
                    + "\" (expected: a revision issued by this server)");
        }
        return Optional.of(revision(value));
    }

    @Override
    public CompletableFuture<Snapshot> readSnapshot(String collection) {
        Names.check("collection", collection);
        synchronized (lock) {
            checkOpen();
            StoredCollection stored = collections.get(collection);
            List<Resource> resources = new ArrayList<>();
            if (stored != null) {
                stored.resources.forEach((id, body) -> resources.add(new Resource(id, body)));
            }
            return CompletableFuture.completedFuture(
                    new Snapshot(collection, revision(sequence), resources));
        }
    }

    @Override
    public ChangeFeed follow(String collection, Revision after, ChangeListener listener) {
        Names.check("collection", collection);
        Feed feed = new Feed(this, collection, toLong(after), listener, feedExecutor);
        synchronized (lock) {
            checkOpen();
            collection(collection).feeds.add(feed);
        }
        feed.signal();
        return feed;
    }

    @Override
    public Optional<Resource> get(String collection, String id) {
        Names.check("collection", collection);
        Names.check("id", id);
        synchronized (lock) {
            StoredCollection stored = collections.get(collection);
            JsonNode body = stored == null ? null : stored.resources.get(id);
            return Optional.ofNullable(body).map(b -> new Resource(id, b));
        }
    }

    @Override
    public Revision write(Consumer<StoreTransaction> work) {
        List<Feed> toSignal = new ArrayList<>();
        Revision committed;
        synchronized (lock) {
            checkOpen();
            Transaction tx = new Transaction();
            work.accept(tx);
            tx.closed = true;
            committed = commit(tx, toSignal);
        }
        toSignal.forEach(Feed::signal);
        return committed;
    }

    private Revision commit(Transaction tx, List<Feed> toSignal) {
        Map<String, List<ChangeEvent>> byCollection = new LinkedHashMap<>();
        for (PendingWrite write : tx.writes.values()) {
            StoredCollection stored = collection(write.collection);
            JsonNode before = stored.resources.get(write.id);
            if (before == null && write.body == null) {
                continue;
            }
            ChangeType type = before == null ? ChangeType.CREATED
                    : write.body == null ? ChangeType.DELETED : ChangeType.UPDATED;
            if (write.body == null) {
                stored.resources.remove(write.id);
            } else {
                stored.resources.put(write.id, write.body);
            }
            sequence++;
            byCollection.computeIfAbsent(write.collection, c -> new ArrayList<>()).add(
                    new ChangeEvent(type, write.collection, write.id, before, write.body,
                            revision(sequence)));
        }
        byCollection.forEach((name, changes) -> {
            StoredCollection stored = collections.get(name);
            stored.append(List.copyOf(changes), logLimit);
            toSignal.addAll(stored.feeds);
        });
        return revision(sequence);
    }

    /** Returns the store's newest revision. */
    public Revision currentRevision() {
        return revision(sequence());
    }

    private long sequence() {
        synchronized (lock) {
            return sequence;
        }
    }

    /** Returns the changes of {@code collection} after {@code after}, at most {@code max}. */
    List<List<ChangeEvent>> transactionsAfter(String collection, long after, int max) {
        synchronized (lock) {
            StoredCollection stored = collections.get(collection);
            if (stored == null) {
                return List.of();
            }
            if (after < stored.trimmedThrough) {
                throw new HistoryExpiredException("the changes of " + collection + " after "
                        + revision(after).token() + " are no longer kept (oldest kept: "
                        + revision(stored.trimmedThrough).token() + ")");
            }
            return stored.transactionsAfter(after, max);
        }
    }

    void unregister(Feed feed) {
        synchronized (lock) {
            StoredCollection stored = collections.get(feed.collection);
            if (stored != null) {
                stored.feeds.remove(feed);
            }
        }
    }

    private StoredCollection collection(String name) {
        return collections.computeIfAbsent(name, n -> new StoredCollection());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the in-memory store is closed");
        }
    }

    Revision revision(long value) {
        byte[] bytes = ByteBuffer.allocate(Long.BYTES).putLong(value).array();
        return Revision.of(bytes, value + "-" + epoch);
    }

    static long toLong(Revision revision) {
        byte[] bytes = revision.bytes();
        if (bytes.length != Long.BYTES) {
            throw new IllegalArgumentException("revision: \"" + revision.token()
                    + "\" was not issued by an in-memory store");
        }
        return ByteBuffer.wrap(bytes).getLong();
    }

    @Override
    public void close() {
        List<Feed> feeds = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            collections.values().forEach(c -> feeds.addAll(c.feeds));
        }
        feeds.forEach(feed -> feed.fail(new IllegalStateException("the in-memory store is closed")));
        feedExecutor.shutdown();
        LOG.info("In-memory store stopped (epoch {})", epoch);
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "InMemoryStore{epoch=" + epoch + ", revision=" + sequence
                    + ", collections=" + collections.size() + (closed ? ", closed" : "") + "}";
        }
    }

    /** The resources of one collection and its log of recent transactions. */
    private static final class StoredCollection {
        final Map<String, JsonNode> resources = new HashMap<>();
        final List<Feed> feeds = new ArrayList<>();
        final ArrayDeque<List<ChangeEvent>> log = new ArrayDeque<>();
        int logSize;
        long trimmedThrough;

        void append(List<ChangeEvent> transaction, int limit) {
            log.addLast(transaction);
            logSize += transaction.size();
            while (logSize > limit && log.size() > 1) {
                List<ChangeEvent> dropped = log.removeFirst();
                logSize -= dropped.size();
                trimmedThrough = toLong(dropped.get(dropped.size() - 1).revision());
            }
        }

        List<List<ChangeEvent>> transactionsAfter(long after, int max) {
            List<List<ChangeEvent>> result = new ArrayList<>();
            Iterator<List<ChangeEvent>> it = log.descendingIterator();
            while (it.hasNext()) {
                List<ChangeEvent> tx = it.next();
                if (toLong(tx.get(tx.size() - 1).revision()) <= after) {
                    break;
                }
                result.add(tx);
            }
            Collections.reverse(result);
            return result.size() > max ? new ArrayList<>(result.subList(0, max)) : result;
        }
    }

    /** The uncommitted writes of one transaction, the latest write per resource winning. */
    private final class Transaction implements StoreTransaction {
        final Map<String, PendingWrite> writes = new LinkedHashMap<>();
        boolean closed;

        @Override
        public Optional<Resource> get(String collection, String id) {
            checkActive();
            Names.check("collection", collection);
            Names.check("id", id);
            PendingWrite pending = writes.get(key(collection, id));
            if (pending != null) {
                return Optional.ofNullable(pending.body).map(b -> new Resource(id, b));
            }
            StoredCollection stored = collections.get(collection);
            JsonNode body = stored == null ? null : stored.resources.get(id);
            return Optional.ofNullable(body).map(b -> new Resource(id, b));
        }

        @Override
        public void put(String collection, String id, JsonNode body) {
            checkActive();
            Names.check("collection", collection);
            Names.check("id", id);
            if (body == null) {
                throw new IllegalArgumentException("body of " + collection + "/" + id
                        + " is null (expected: a JSON value; use delete to remove a resource)");
            }
            String key = key(collection, id);
            writes.remove(key);
            writes.put(key, new PendingWrite(collection, id, body));
        }

        @Override
        public void delete(String collection, String id) {
            checkActive();
            Names.check("collection", collection);
            Names.check("id", id);
            String key = key(collection, id);
            writes.remove(key);
            writes.put(key, new PendingWrite(collection, id, null));
        }

        private void checkActive() {
            if (closed) {
                throw new IllegalStateException("the transaction has already committed");
            }
        }

        private String key(String collection, String id) {
            return collection + '\u0000' + id;
        }
    }

    private record PendingWrite(String collection, String id, JsonNode body) {
    }
}
