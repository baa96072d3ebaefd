package io.ssewatch.fdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.apple.foundationdb.KeyValue;
import com.apple.foundationdb.subspace.Subspace;
import com.apple.foundationdb.tuple.Tuple;
import com.apple.foundationdb.tuple.Versionstamp;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ssewatch.api.ChangeEvent;
import io.ssewatch.api.ChangeType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LogDecoderTest {

    private final KeyLayout keys = new KeyLayout(new Subspace(Tuple.from("s")));
    private final EventCodec codec = new EventCodec(new ObjectMapper());
    private final LogDecoder decoder = new LogDecoder(keys, codec, new Revisions(1));

    private static byte[] stamp(long version) {
        return ByteBuffer.allocate(10).putLong(version).array();
    }

    /** Returns the rows of one log entry, split into chunks of {@code chunkSize} bytes. */
    private List<KeyValue> entry(long version, int userVersion, String id, int chunkSize) {
        byte[] value = codec.encodeChange(ChangeType.CREATED, id, null,
                JsonNodeFactory.instance.objectNode().put("name", id));
        List<KeyValue> rows = new ArrayList<>();
        for (int c = 0; c * chunkSize < value.length; c++) {
            byte[] chunk = Arrays.copyOfRange(value, c * chunkSize,
                    Math.min(value.length, (c + 1) * chunkSize));
            rows.add(new KeyValue(keys.logKey("c",
                    Versionstamp.complete(stamp(version), userVersion), c), chunk));
        }
        return rows;
    }

    private static List<List<String>> ids(List<List<ChangeEvent>> transactions) {
        return transactions.stream()
                .map(tx -> tx.stream().map(ChangeEvent::id).collect(Collectors.toList()))
                .collect(Collectors.toList());
    }

    @Test
    void decode_groupsByCommitVersionstamp() {
        List<KeyValue> rows = new ArrayList<>();
        rows.addAll(entry(1, 0, "a", 1000));
        rows.addAll(entry(1, 1, "b", 1000));
        rows.addAll(entry(2, 0, "c", 1000));

        List<List<ChangeEvent>> transactions = decoder.decode("c", rows, false);

        assertThat(ids(transactions)).containsExactly(List.of("a", "b"), List.of("c"));
        assertThat(transactions.get(0).get(1).revision().bytes()[11]).isEqualTo((byte) 1);
    }

    @Test
    void decode_joinsChunks() {
        List<KeyValue> rows = entry(1, 0, "chunked", 7);

        List<List<ChangeEvent>> transactions = decoder.decode("c", rows, false);

        assertThat(rows).hasSizeGreaterThan(3);
        assertThat(ids(transactions)).containsExactly(List.of("chunked"));
    }

    @Test
    void decode_cutOff_dropsLastTransaction() {
        List<KeyValue> rows = new ArrayList<>();
        rows.addAll(entry(1, 0, "a", 1000));
        rows.addAll(entry(2, 0, "b", 1000));
        rows.addAll(entry(2, 1, "c", 1000));

        assertThat(ids(decoder.decode("c", rows, true))).containsExactly(List.of("a"));
    }

    @Test
    void decode_cutOffInsideOnlyTransaction_returnsNothing() {
        List<KeyValue> rows = entry(1, 0, "a", 7).subList(0, 2);

        assertThat(decoder.decode("c", rows, true)).isEmpty();
    }

    @Test
    void decode_missingChunk_throws() {
        List<KeyValue> rows = new ArrayList<>(entry(1, 0, "a", 7));
        rows.remove(1);

        assertThatThrownBy(() -> decoder.decode("c", rows, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("chunk 2 at position 1");
    }
}
