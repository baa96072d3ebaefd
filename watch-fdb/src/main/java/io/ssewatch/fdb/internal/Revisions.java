package io.ssewatch.fdb.internal;

import io.ssewatch.api.InvalidRevisionException;
import io.ssewatch.api.Revision;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Revisions of a FoundationDB store and their wire tokens.
 *
 * <p>A revision is 12 bytes: the 10-byte commit versionstamp (8-byte big-endian commit
 * version, 2-byte batch order) followed by the 2-byte user version that numbers the changes
 * of one transaction. A snapshot read at read version {@code RV} has the revision
 * {@code RV, 0xFFFF, 0xFFFF}: it sorts after every change committed at or below {@code RV},
 * which are exactly the changes visible at {@code RV}, and before every later one.
 *
 * <p>A token is the revision in lowercase hex, a dash and the store's epoch in hex, for
 * example {@code 00000000075bcd1500010002-9c1e44d2}. The epoch is 4 random bytes stored in
 * the store's subspace when it is first used, so a token from another cluster or from a
 * subspace that was wiped parses as unreachable instead of as a position in this history.
 * Immutable and thread-safe.
 */
public final class Revisions {

    /** Length of a revision in bytes. */
    public static final int LENGTH = 12;

    /** The largest user version a change can have; 0xFFFF is reserved for snapshots. */
    public static final int MAX_USER_VERSION = 0xFFFE;

    private static final Pattern TOKEN = Pattern.compile("([0-9a-f]{24})-([0-9a-f]{8})");
    private static final HexFormat HEX = HexFormat.of();

    private final int epoch;
    private final String epochHex;

    public Revisions(int epoch) {
        this.epoch = epoch;
        this.epochHex = String.format("%08x", epoch);
    }

    /** Returns the epoch that this store's tokens carry. */
    public int epoch() {
        return epoch;
    }

    /** Returns the revision with the given 12 bytes. */
    public Revision of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("revision of " + bytes.length
                    + " bytes (expected: " + LENGTH + ")");
        }
        return Revision.of(bytes, HEX.formatHex(bytes) + "-" + epochHex);
    }

    /** Returns the revision of the change with a user version in a commit versionstamp. */
    public Revision change(byte[] commitStamp, int userVersion) {
        if (commitStamp.length != LENGTH - 2) {
            throw new IllegalArgumentException("commit versionstamp of " + commitStamp.length
                    + " bytes (expected: " + (LENGTH - 2) + ")");
        }
        return of(ByteBuffer.allocate(LENGTH).put(commitStamp).putShort((short) userVersion)
                .array());
    }

    /** Returns the revision of a snapshot read at {@code readVersion}. */
    public Revision snapshot(long readVersion) {
        return of(ByteBuffer.allocate(LENGTH).putLong(readVersion).putInt(-1).array());
    }

    /** Returns the 8-byte commit version in a revision of this store. */
    public static long commitVersion(Revision revision) {
        return ByteBuffer.wrap(bytes(revision)).getLong();
    }

    /** Returns the first 10 bytes of a revision: the commit versionstamp of its transaction. */
    public static byte[] commitStamp(byte[] revision) {
        return Arrays.copyOf(revision, LENGTH - 2);
    }

    /** Returns the 12 bytes of a revision, checking that a FoundationDB store issued it. */
    public static byte[] bytes(Revision revision) {
        byte[] bytes = revision.bytes();
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("revision: \"" + revision.token()
                    + "\" was not issued by a FoundationDB store (expected: " + LENGTH
                    + " bytes, got " + bytes.length + ")");
        }
        return bytes;
    }

    /**
     * Parses a token without checking that the revision exists yet.
     *
     * @return the revision, or empty when the token carries another epoch
     * @throws InvalidRevisionException when the token is malformed
     */
    public Optional<Revision> parse(String token) {
        Matcher matcher = TOKEN.matcher(token);
        if (!matcher.matches()) {
            throw new InvalidRevisionException("revision: \"" + token + "\" is malformed"
                    + " (expected: a revision issued by this server: 24 hex digits, a dash"
                    + " and 8 hex digits, such as \"00000000075bcd1500010002-" + epochHex
                    + "\")");
        }
        if (!matcher.group(2).equals(epochHex)) {
            return Optional.empty();
        }
        return Optional.of(of(HEX.parseHex(matcher.group(1))));
    }

    @Override
    public String toString() {
        return "Revisions{epoch=" + epochHex + "}";
    }
}
