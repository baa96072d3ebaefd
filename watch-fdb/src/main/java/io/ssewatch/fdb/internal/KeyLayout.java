package io.ssewatch.fdb.internal;

import com.apple.foundationdb.Range;
import com.apple.foundationdb.subspace.Subspace;
import com.apple.foundationdb.tuple.ByteArrayUtil;
import com.apple.foundationdb.tuple.Tuple;
import com.apple.foundationdb.tuple.Versionstamp;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The keys of one store inside its root subspace. Every key is the root prefix followed by a
 * packed tuple whose first element is a one-letter tag:
 *
 * <pre>
 * ("r", collection, id, chunk)          resource body, split into chunks
 * ("l", collection, versionstamp, chunk) change log entry (encoded change event), in chunks
 * ("h", collection)                      head counter, atomic ADD 1 on every write (watched)
 * ("b", collection)                      log size in bytes, atomic ADD on write and trim
 * ("t", collection)                      trim marker: revision of the last trimmed entry
 * ("i", minute, token)                   idempotency record of one Store.write call
 * ("m", "epoch")                         4 random bytes naming this store's history
 * </pre>
 *
 * <p>Pure Java: uses only {@code Tuple}, {@code Subspace} and {@code Versionstamp}, which
 * work without the native client. Immutable and thread-safe.
 */
public final class KeyLayout {

    /** FoundationDB's maximum key size in bytes. */
    public static final int MAX_KEY_BYTES = 10_000;

    /** Tuple type code of a 96-bit versionstamp. */
    private static final byte VERSIONSTAMP_CODE = 0x33;

    private final Subspace root;
    private final Subspace resources;
    private final Subspace log;
    private final Subspace heads;
    private final Subspace logBytes;
    private final Subspace trimMarkers;
    private final Subspace idempotency;
    private final Subspace meta;

    public KeyLayout(Subspace root) {
        this.root = Objects.requireNonNull(root, "root");
        this.resources = root.get("r");
        this.log = root.get("l");
        this.heads = root.get("h");
        this.logBytes = root.get("b");
        this.trimMarkers = root.get("t");
        this.idempotency = root.get("i");
        this.meta = root.get("m");
    }

    /** Returns the root subspace. */
    public Subspace root() {
        return root;
    }

    /** Returns the key of one chunk of a resource body. */
    public byte[] resourceKey(String collection, String id, int chunk) {
        return resources.pack(Tuple.from(collection, id, chunk));
    }

    /** Returns the range of every chunk of one resource. */
    public Range resourceRange(String collection, String id) {
        return resources.range(Tuple.from(collection, id));
    }

    /** Returns the range of every resource of a collection. */
    public Range resourcesRange(String collection) {
        return resources.range(Tuple.from(collection));
    }

    /** Decodes a resource key into its id and chunk index. */
    public ResourceKey decodeResourceKey(byte[] key) {
        Tuple tuple = resources.unpack(key);
        return new ResourceKey(tuple.getString(0), tuple.getString(1),
                Math.toIntExact(tuple.getLong(2)));
    }

    /**
     * Returns the parameter of a {@code SET_VERSIONSTAMPED_KEY} mutation that writes one chunk
     * of a log entry: the log key with a placeholder versionstamp, followed by the 4-byte
     * little-endian offset of the 10 bytes that the commit versionstamp replaces (the format
     * of API version 520 and later). The 2 bytes after them contain {@code userVersion}.
     */
    public byte[] logKeyTemplate(String collection, int userVersion, int chunk) {
        // NOTE: checked against the documented byte layout only; equality with
        // Tuple.packWithVersionstamp() needs libfdb_c and has not been tested.
        byte[] placeholder = new byte[Versionstamp.LENGTH - 2];
        byte[] key = logKey(collection, Versionstamp.complete(placeholder, userVersion), chunk);
        int offset = log.pack(Tuple.from(collection)).length + 1;
        if (key[offset - 1] != VERSIONSTAMP_CODE) {
            throw new IllegalStateException("log key layout changed: no versionstamp at byte "
                    + offset + " of " + ByteArrayUtil.printable(key));
        }
        return ByteBuffer.allocate(key.length + Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .put(key).putInt(offset).array();
    }

    /** Returns the key of one chunk of the log entry at a complete versionstamp. */
    public byte[] logKey(String collection, Versionstamp stamp, int chunk) {
        return log.pack(Tuple.from(collection, stamp, chunk));
    }

    /** Returns the range of a collection's whole log. */
    public Range logRange(String collection) {
        return log.range(Tuple.from(collection));
    }

    /**
     * Returns the first log key after every entry at or below {@code revision}: the begin of
     * a read of the changes after it, or the exclusive end of a read up to it.
     */
    public byte[] logKeyAfter(String collection, byte[] revision) {
        return ByteArrayUtil.strinc(log.pack(Tuple.from(collection,
                Versionstamp.fromBytes(revision))));
    }

    /** Decodes a log key into the 12-byte revision of its entry and its chunk index. */
    public LogKey decodeLogKey(byte[] key) {
        Tuple tuple = log.unpack(key);
        return new LogKey(tuple.getVersionstamp(1).getBytes(), Math.toIntExact(tuple.getLong(2)));
    }

    /** Returns the key that every write to the collection bumps with an atomic ADD. */
    public byte[] headKey(String collection) {
        return heads.pack(Tuple.from(collection));
    }

    /** Returns the range of every head key: one per collection that was ever written. */
    public Range headsRange() {
        return heads.range();
    }

    /** Returns the collection of a head key. */
    public String collectionOfHeadKey(byte[] key) {
        return heads.unpack(key).getString(0);
    }

    /** Returns the key of the collection's log size counter. */
    public byte[] logBytesKey(String collection) {
        return logBytes.pack(Tuple.from(collection));
    }

    /** Returns the key of the collection's trim marker. */
    public byte[] trimMarkerKey(String collection) {
        return trimMarkers.pack(Tuple.from(collection));
    }

    /** Returns the key that records a committed {@code Store.write} call. */
    public byte[] idempotencyKey(long minute, byte[] token) {
        return idempotency.pack(Tuple.from(minute, token));
    }

    /** Returns the range of every idempotency record older than {@code minute}. */
    public Range idempotencyBefore(long minute) {
        return new Range(idempotency.range().begin, idempotency.pack(Tuple.from(minute)));
    }

    /** Returns the key of the store's epoch. */
    public byte[] epochKey() {
        return meta.pack(Tuple.from("epoch"));
    }

    /**
     * Returns the size in bytes of the largest key that writing {@code chunks} chunks of a
     * resource creates: its last resource chunk key or its last log chunk key, whichever is
     * longer.
     */
    public int maxKeySize(String collection, String id, int chunks) {
        int last = Math.max(0, chunks - 1);
        int resourceKey = resourceKey(collection, id, last).length;
        int logKey = logKey(collection, Versionstamp.complete(new byte[10], 0), last).length;
        return Math.max(resourceKey, Math.max(logKey, headKey(collection).length));
    }

    /**
     * A decoded resource key.
     *
     * @param collection the collection
     * @param id the resource id
     * @param chunk the chunk index, from 0
     */
    public record ResourceKey(String collection, String id, int chunk) {
    }

    /**
     * A decoded log key.
     *
     * @param revision the 12-byte revision of the entry: commit versionstamp and user version
     * @param chunk the chunk index, from 0
     */
    public record LogKey(byte[] revision, int chunk) {
    }
}
