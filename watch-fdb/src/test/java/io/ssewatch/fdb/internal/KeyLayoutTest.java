package io.ssewatch.fdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.apple.foundationdb.subspace.Subspace;
import com.apple.foundationdb.tuple.Tuple;
import com.apple.foundationdb.tuple.Versionstamp;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeyLayoutTest {

    private final KeyLayout keys = new KeyLayout(new Subspace(Tuple.from("s")));

    private static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }

    /** Does what the commit does with a SET_VERSIONSTAMPED_KEY parameter. */
    private static byte[] substitute(byte[] template, byte[] stamp) {
        int length = template.length - 4;
        int offset = (template[length] & 0xFF) | (template[length + 1] & 0xFF) << 8
                | (template[length + 2] & 0xFF) << 16 | (template[length + 3] & 0xFF) << 24;
        byte[] key = Arrays.copyOf(template, length);
        System.arraycopy(stamp, 0, key, offset, stamp.length);
        return key;
    }

    @Test
    void logKeyTemplate_matchesDocumentedLayout() {
        byte[] template = keys.logKeyTemplate("c", 5, 0);

        byte[] expected = bytes(
                0x02, 's', 0x00, 0x02, 'l', 0x00, 0x02, 'c', 0x00,
                0x33, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x05,
                0x14,
                10, 0, 0, 0);
        assertThat(template).isEqualTo(expected);
    }

    @Test
    void logKeyTemplate_afterCommit_decodesToRevision() {
        byte[] stamp = bytes(0, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0, 7);

        byte[] key = substitute(keys.logKeyTemplate("volumes", 3, 2), stamp);

        KeyLayout.LogKey decoded = keys.decodeLogKey(key);
        assertThat(decoded.revision()).isEqualTo(bytes(0, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0, 7,
                0, 3));
        assertThat(decoded.chunk()).isEqualTo(2);
        assertThat(key).isEqualTo(keys.logKey("volumes", Versionstamp.complete(stamp, 3), 2));
    }

    @Test
    void logKeys_sortByRevisionThenChunk() {
        byte[] early = bytes(0, 0, 0, 0, 0, 0, 0, 1, 0, 0);
        byte[] late = bytes(0, 0, 0, 0, 0, 0, 0, 2, 0, 0);

        byte[] a = keys.logKey("c", Versionstamp.complete(early, 1), 1);
        byte[] b = keys.logKey("c", Versionstamp.complete(early, 2), 0);
        byte[] c = keys.logKey("c", Versionstamp.complete(late, 0), 0);

        assertThat(Arrays.compareUnsigned(a, b)).isNegative();
        assertThat(Arrays.compareUnsigned(b, c)).isNegative();
    }

    @Test
    void logKeyAfter_skipsAllChunks() {
        byte[] stamp = bytes(0, 0, 0, 0, 0, 0, 0, 1, 0, 0);
        byte[] revision = Versionstamp.complete(stamp, 4).getBytes();
        byte[] after = keys.logKeyAfter("c", revision);

        byte[] lastChunk = keys.logKey("c", Versionstamp.complete(stamp, 4), 255);
        byte[] next = keys.logKey("c", Versionstamp.complete(stamp, 5), 0);

        assertThat(Arrays.compareUnsigned(lastChunk, after)).isNegative();
        assertThat(Arrays.compareUnsigned(after, next)).isNotPositive();
    }

    @Test
    void logKeyAfter_snapshotCoversVersion() {
        byte[] snapshot = bytes(0, 0, 0, 0, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF);
        byte[] sameVersion = bytes(0, 0, 0, 0, 0, 0, 0, 1, 0xFF, 0xFE);
        byte[] nextVersion = bytes(0, 0, 0, 0, 0, 0, 0, 2, 0, 0);

        byte[] after = keys.logKeyAfter("c", snapshot);

        assertThat(Arrays.compareUnsigned(
                keys.logKey("c", Versionstamp.complete(sameVersion, 0xFFFE), 3), after))
                .isNegative();
        assertThat(Arrays.compareUnsigned(after,
                keys.logKey("c", Versionstamp.complete(nextVersion, 0), 0))).isNotPositive();
        assertThat(Arrays.compareUnsigned(after, keys.logRange("c").end)).isNotPositive();
    }

    @Test
    void resourceKeys_roundTripAndStayInRange() {
        byte[] key = keys.resourceKey("volumes", "v1", 3);

        assertThat(keys.decodeResourceKey(key))
                .isEqualTo(new KeyLayout.ResourceKey("volumes", "v1", 3));
        assertThat(Arrays.compareUnsigned(keys.resourceRange("volumes", "v1").begin, key))
                .isNotPositive();
        assertThat(Arrays.compareUnsigned(key, keys.resourcesRange("volumes").end)).isNegative();
        assertThat(Arrays.compareUnsigned(key, keys.resourceRange("volumes", "v10").begin))
                .isNegative();
    }

    @Test
    void headKey_decodesCollection() {
        assertThat(keys.collectionOfHeadKey(keys.headKey("volumes"))).isEqualTo("volumes");
    }

    @Test
    void idempotencyBefore_coversOnlyOlderMinutes() {
        byte[] token = new byte[16];
        var range = keys.idempotencyBefore(100);

        assertThat(Arrays.compareUnsigned(keys.idempotencyKey(99, token), range.end)).isNegative();
        assertThat(Arrays.compareUnsigned(keys.idempotencyKey(100, token), range.end))
                .isNotNegative();
        assertThat(Arrays.compareUnsigned(range.begin, keys.idempotencyKey(0, token)))
                .isNotPositive();
    }

    @Test
    void maxKeySize_countsPrefixAndLongestKey() {
        int size = keys.maxKeySize("c", "x".repeat(50), 1);

        assertThat(size).isEqualTo(keys.resourceKey("c", "x".repeat(50), 0).length);
    }
}
