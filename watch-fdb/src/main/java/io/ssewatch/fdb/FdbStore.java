package io.ssewatch.fdb;

import com.apple.foundationdb.Database;
import com.apple.foundationdb.FDB;
import com.apple.foundationdb.Transaction;
import com.apple.foundationdb.directory.DirectoryLayer;
import com.apple.foundationdb.subspace.Subspace;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssewatch.api.ChangeFeed;
import io.ssewatch.api.ChangeListener;
import io.ssewatch.api.InvalidRevisionException;
import io.ssewatch.api.Resource;
import io.ssewatch.api.Revision;
import io.ssewatch.api.Snapshot;
import io.ssewatch.api.Store;
import io.ssewatch.api.StoreTransaction;
import io.ssewatch.api.StoreUnavailableException;
import io.ssewatch.api.internal.Names;
import io.ssewatch.fdb.internal.ErrorCodes;
import io.ssewatch.fdb.internal.EventCodec;
import io.ssewatch.fdb.internal.Feed;
import io.ssewatch.fdb.internal.Follower;
import io.ssewatch.fdb.internal.KeyLayout;
import io.ssewatch.fdb.internal.LogDecoder;
import io.ssewatch.fdb.internal.Revisions;
import io.ssewatch.fdb.internal.SnapshotReader;
import io.ssewatch.fdb.internal.StoreContext;
import io.ssewatch.fdb.internal.Trimmer;
import io.ssewatch.fdb.internal.WriteSession;
import io.ssewatch.fdb.internal.Writer;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Store} on FoundationDB.
 *
 * <p>Resources, a change log per collection keyed by commit versionstamp, and a head key per
 * collection live in one subspace (see {@code docs/foundationdb.md} for the key layout).
 * Every write commits the resource, its log entry and the head bump together. Revisions are
 * versionstamps: the 10-byte commit versionstamp plus a 2-byte user version that numbers the
 * changes of one transaction, so several stores, processes and hosts that write to the same
 * subspace share one history.
 *
 * <p>{@link #follow} shares one watch loop per collection and store among all its feeds: one
 * FoundationDB watch and one log read per commit, however many feeds there are. Listener
 * calls run on the store's delivery threads, never overlap for one feed, and arrive in
 * revision order. {@link #readSnapshot} runs on the store's worker threads. {@link #write},
 * {@link #get} and {@link #parseRevision} block the calling thread.
 *
 * <p>Thread-safe. {@link #close()} ends every feed with an {@link IllegalStateException},
 * stops the store's threads, and closes the database when the store opened it.
 */
public final class FdbStore implements Store {

    private static final Logger LOG = LoggerFactory.getLogger(FdbStore.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final StoreContext ctx;
    private final boolean ownsDatabase;
    private final int instance;
    private final Writer writer;
    private final SnapshotReader snapshots;
    private final Trimmer trimmer;
    private final Semaphore watchBudget;
    private final Map<String, Follower> followers = new HashMap<>();
    private final Map<Transaction, HostWrites> hostWrites = new WeakHashMap<>();
    private final AtomicBoolean trimming = new AtomicBoolean();
    private final ScheduledFuture<?> trimTask;
    private volatile long newestVersion;
    private volatile boolean closed;

    private FdbStore(Database db, FdbStoreConfig config, boolean ownsDatabase) {
        this.ownsDatabase = ownsDatabase;
        this.instance = INSTANCES.incrementAndGet();
        KeyLayout keys = new KeyLayout(resolveSubspace(db, config));
        Revisions revisions = new Revisions(readOrCreateEpoch(db, keys, config));
        EventCodec codec = new EventCodec(new ObjectMapper());
        this.ctx = new StoreContext(db, keys, codec, revisions,
                new LogDecoder(keys, codec, revisions), config,
                Executors.newSingleThreadScheduledExecutor(threads("timer")),
                Executors.newFixedThreadPool(4, threads("worker")),
                Executors.newFixedThreadPool(2, threads("loop")),
                Executors.newFixedThreadPool(4, threads("delivery")));
        this.writer = new Writer(ctx, System::currentTimeMillis);
        this.snapshots = new SnapshotReader(ctx);
        this.trimmer = new Trimmer(ctx, System::currentTimeMillis);
        this.watchBudget = new Semaphore(config.maxWatches());
        long interval = config.trimInterval().toNanos();
        this.trimTask = interval == 0 ? null : ctx.scheduler().scheduleWithFixedDelay(
                this::scheduleTrim, interval, interval, TimeUnit.NANOSECONDS);
        LOG.info("FoundationDB store {} started (subspace {}, epoch {}, {})", instance,
                keys.root(), String.format("%08x", revisions.epoch()), config);
    }

    /**
     * Opens the database named by the configuration's cluster file and a store on it. Selects
     * the configured API version unless this JVM already selected it. {@link #close()} closes
     * the database.
     *
     * @throws IllegalStateException when this JVM already selected another API version
     * @throws StoreUnavailableException when the cluster cannot be reached within the
     *     operation timeout
     */
    public static FdbStore open(FdbStoreConfig config) {
        FDB fdb = selectApiVersion(config.apiVersion());
        Database db = config.clusterFile().isPresent()
                ? fdb.open(config.clusterFile().get()) : fdb.open();
        try {
            if (config.databaseMaxWatches() > 0) {
                db.options().setMaxWatches(config.databaseMaxWatches());
            }
            return new FdbStore(db, config, true);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * Opens a store on a database the host already uses. The host keeps owning the database:
     * {@link #close()} leaves it open, and {@link FdbStoreConfig#clusterFile()},
     * {@link FdbStoreConfig#apiVersion()} and {@link FdbStoreConfig#databaseMaxWatches()} are
     * not used.
     *
     * @throws StoreUnavailableException when the cluster cannot be reached within the
     *     operation timeout
     */
    public static FdbStore open(Database db, FdbStoreConfig config) {
        return new FdbStore(db, config, false);
    }

    private static synchronized FDB selectApiVersion(int version) {
        if (FDB.isAPIVersionSelected()) {
            FDB fdb = FDB.instance();
            if (fdb.getAPIVersion() != version) {
                throw new IllegalStateException("FoundationDB API version "
                        + fdb.getAPIVersion() + " is already selected in this JVM (expected: "
                        + version + "; set FdbStoreConfig.apiVersion to the version the process"
                        + " uses)");
            }
            return fdb;
        }
        return FDB.selectAPIVersion(version);
    }

    private static Subspace resolveSubspace(Database db, FdbStoreConfig config) {
        if (config.directory().isEmpty()) {
            return config.subspace();
        }
        try {
            return DirectoryLayer.getDefault().createOrOpen(db, config.directory().get())
                    .get(config.operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new StoreUnavailableException("cannot open the directory "
                    + config.directory().get() + ": " + ErrorCodes.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while opening the directory "
                    + config.directory().get(), e);
        }
    }

    private static int readOrCreateEpoch(Database db, KeyLayout keys, FdbStoreConfig config) {
        try {
            byte[] epoch = db.run(tr -> {
                tr.options().setTimeout(config.operationTimeout().toMillis());
                byte[] stored = tr.get(keys.epochKey()).join();
                if (stored != null) {
                    return stored;
                }
                byte[] created = new byte[Integer.BYTES];
                new SecureRandom().nextBytes(created);
                tr.set(keys.epochKey(), created);
                return created;
            });
            return ByteBuffer.wrap(epoch).getInt();
        } catch (RuntimeException e) {
            if (ErrorCodes.codeOf(e) == ErrorCodes.NOT_FDB) {
                throw e;
            }
            throw new StoreUnavailableException("cannot read the store's epoch in "
                    + keys.root() + ": " + ErrorCodes.describe(e)
                    + " (check the cluster file and that the cluster is up)", e);
        }
    }

    private ThreadFactory threads(String role) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable,
                    "sse-watch-fdb-" + instance + "-" + role + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * {@inheritDoc}
     *
     * <p>A token whose commit version is newer than any this store has seen costs one read
     * version request to tell "ahead of the cluster" (rejected) from "written by another
     * process" (accepted).
     */
    @Override
    public Optional<Revision> parseRevision(String token) {
        Optional<Revision> revision = ctx.revisions().parse(token);
        if (revision.isEmpty()) {
            return revision;
        }
        long version = Revisions.commitVersion(revision.get());
        if (version > newestVersion) {
            checkOpen();
            noteVersion(ctx.transact(tr -> tr.getReadVersion().join()));
        }
        if (version > newestVersion) {
            throw new InvalidRevisionException("revision: \"" + token + "\" is ahead of this"
                    + " store's newest revision \"" + ctx.revisions().snapshot(newestVersion)
                    + "\" (expected: a revision issued by this server)");
        }
        return revision;
    }

    @Override
    public CompletableFuture<Snapshot> readSnapshot(String collection) {
        Names.check("collection", collection);
        checkOpen();
        return CompletableFuture.supplyAsync(() -> {
            Snapshot snapshot = snapshots.read(collection);
            noteVersion(Revisions.commitVersion(snapshot.revision()));
            return snapshot;
        }, ctx.workers());
    }

    @Override
    public ChangeFeed follow(String collection, Revision after, ChangeListener listener) {
        Names.check("collection", collection);
        Revisions.bytes(after);
        checkOpen();
        Feed feed = new Feed(collection, after, listener, ctx.delivery(),
                ctx.config().maxPendingTransactions());
        synchronized (followers) {
            while (true) {
                Follower follower = followers.computeIfAbsent(collection,
                        name -> new Follower(ctx, name, watchBudget, this::followerStopped));
                if (follower.add(feed)) {
                    return feed;
                }
                followers.remove(collection, follower);
            }
        }
    }

    private void followerStopped(Follower follower) {
        synchronized (followers) {
            followers.values().remove(follower);
        }
    }

    @Override
    public Optional<Resource> get(String collection, String id) {
        Names.check("collection", collection);
        Names.check("id", id);
        checkOpen();
        return ctx.transact(tr -> ctx.readResource(tr, collection, id).join())
                .map(body -> new Resource(id, body));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Retries conflicts and retryable errors until the operation timeout, so {@code work}
     * may run several times and must have no side effects outside the transaction. After
     * an uncertain commit the store checks the call's idempotency record before running
     * {@code work} again, so a call is never logged twice.
     *
     * @throws StoreUnavailableException when FoundationDB fails with an error that is not
     *     retryable, or the operation timeout passes
     * @throws IllegalArgumentException when a body, key or the whole transaction exceeds
     *     FoundationDB's limits or {@link FdbStoreConfig#maxBodyBytes()}
     */
    @Override
    public Revision write(Consumer<StoreTransaction> work) {
        checkOpen();
        Revision revision = writer.write(work);
        noteVersion(Revisions.commitVersion(revision));
        return revision;
    }

    /**
     * Adds the store's writes to a transaction of the host, so that they commit together with
     * the host's own writes.
     *
     * <p>Runs {@code work} once, on the calling thread, and writes its changes into
     * {@code tr} without committing. The host commits {@code tr}, typically inside its own
     * {@code Database.run} loop, which calls this method again on each retry. Several calls on
     * one transaction are allowed: their changes get consecutive revisions. Unlike
     * {@link #write}, this method writes no idempotency record: when the host retries after
     * {@code commit_unknown_result}, the changes may be logged twice unless the host checks
     * its own idempotency key first.
     *
     * @return a future that completes after {@code tr} commits, with the revision of the last
     *     change this call wrote, or with the snapshot revision of the transaction's read
     *     version when it wrote none; it fails when the commit fails
     */
    public CompletableFuture<Revision> writeIn(Transaction tr, Consumer<StoreTransaction> work) {
        checkOpen();
        HostWrites state;
        synchronized (hostWrites) {
            state = hostWrites.computeIfAbsent(tr, ignored -> new HostWrites());
        }
        synchronized (state) {
            WriteSession session = new WriteSession(tr, ctx, state.nextUserVersion);
            work.accept(session);
            WriteSession.Applied applied = session.apply();
            state.nextUserVersion = applied.nextUserVersion();
            if (applied.changes() == 0) {
                return tr.getReadVersion().thenApply(ctx.revisions()::snapshot);
            }
            int last = applied.lastUserVersion();
            return tr.getVersionstamp().thenApply(stamp -> ctx.revisions().change(stamp, last));
        }
    }

    /**
     * Trims every collection's change log now, as the periodic trim does. Blocks the calling
     * thread.
     *
     * @return the number of log transactions removed
     */
    public long trimLogs() {
        checkOpen();
        return trimmer.run();
    }

    private void scheduleTrim() {
        if (!trimming.compareAndSet(false, true)) {
            return;
        }
        ctx.workers().execute(() -> {
            try {
                trimmer.run();
            } catch (RuntimeException e) {
                LOG.warn("Trimming the change logs failed: {}; next run in {}",
                        ErrorCodes.describe(e), ctx.config().trimInterval(), e);
            } finally {
                trimming.set(false);
            }
        });
    }

    private void noteVersion(long version) {
        if (version > newestVersion) {
            synchronized (this) {
                newestVersion = Math.max(newestVersion, version);
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the FoundationDB store " + instance + " is closed");
        }
    }

    @Override
    public void close() {
        Follower[] active;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (trimTask != null) {
            trimTask.cancel(false);
        }
        synchronized (followers) {
            active = followers.values().toArray(new Follower[0]);
        }
        for (Follower follower : active) {
            follower.failAll(new IllegalStateException("the FoundationDB store is closed"));
        }
        ctx.scheduler().shutdownNow();
        ctx.loops().shutdownNow();
        ctx.workers().shutdownNow();
        shutdownAfterDelivery(ctx.delivery());
        if (ownsDatabase) {
            ctx.db().close();
        }
        LOG.info("FoundationDB store {} stopped", instance);
    }

    /** Lets the delivery threads hand out the close failures before they stop. */
    private static void shutdownAfterDelivery(ExecutorService delivery) {
        delivery.shutdown();
        try {
            if (!delivery.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Change listeners did not return within 5 s of close; interrupting");
                delivery.shutdownNow();
            }
        } catch (InterruptedException e) {
            delivery.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        int count;
        synchronized (followers) {
            count = followers.size();
        }
        return "FdbStore{" + instance + ", subspace=" + ctx.keys().root() + ", followers="
                + count + ", free watch permits=" + watchBudget.availablePermits()
                + (closed ? ", closed" : "") + "}";
    }

    /** The user versions already used by {@link #writeIn} calls on one host transaction. */
    private static final class HostWrites {
        int nextUserVersion;
    }
}
