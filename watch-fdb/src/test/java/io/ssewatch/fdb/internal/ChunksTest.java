package io.ssewatch.fdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunksTest {

    @Test
    void split_atValueLimit() {
        assertThat(Chunks.split(new byte[0])).hasSize(1);
        assertThat(Chunks.split(new byte[100_000])).hasSize(1);
        List<byte[]> chunks = Chunks.split(new byte[100_001]);
        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(0)).hasSize(100_000);
        assertThat(chunks.get(1)).hasSize(1);
    }

    @Test
    void join_restoresValue() {
        byte[] value = new byte[250_000];
        new Random(1).nextBytes(value);

        assertThat(Chunks.join(Chunks.split(value))).isEqualTo(value);
    }
}
