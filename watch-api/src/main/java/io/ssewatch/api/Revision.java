package io.ssewatch.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A store-wide, totally ordered position of a committed change.
 *
 * <p>A revision is an opaque byte string compared as unsigned bytes, so that every store can
 * map its own notion of position onto it: the in-memory store uses an 8-byte big-endian
 * counter, FoundationDB a 12-byte versionstamp. Each change has a revision of its own; the
 * changes of one transaction have consecutive revisions. A snapshot's revision means "every
 * change at or below this position is included".
 *
 * <p>On the wire a revision travels as its {@linkplain #token() token}, an opaque URL-safe
 * string that the issuing {@link Store} can parse back with {@link Store#parseRevision}.
 * Instances are immutable and thread-safe.
 */
public final class Revision implements Comparable<Revision> {

    private final byte[] bytes;
    private final String token;

    private Revision(byte[] bytes, String token) {
        this.bytes = bytes;
        this.token = token;
    }

    /**
     * Creates a revision from its ordered bytes and its wire token.
     *
     * @param bytes the position, compared as unsigned bytes; copied
     * @param token the URL-safe wire form; must not contain CR, LF or NUL
     */
    public static Revision of(byte[] bytes, String token) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(token, "token");
        if (!isUrlSafe(token)) {
            throw new IllegalArgumentException(
                    "token: \"" + token + "\" (expected: non-empty, only A-Z a-z 0-9 - _ . ~)");
        }
        return new Revision(bytes.clone(), token);
    }

    /** Returns the position as bytes, compared as unsigned bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Returns the opaque wire form, which goes into the SSE {@code id:} field. */
    public String token() {
        return token;
    }

    @Override
    public int compareTo(Revision other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    /** Returns whether this revision is strictly after {@code other}. */
    public boolean isAfter(Revision other) {
        return compareTo(other) > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Revision && Arrays.equals(bytes, ((Revision) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return token;
    }

    static boolean isUrlSafe(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
