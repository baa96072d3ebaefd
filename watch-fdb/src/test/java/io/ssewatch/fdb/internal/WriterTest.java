package io.ssewatch.fdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class WriterTest {

    @Test
    void stampedValue_layout() {
        assertThat(HexFormat.of().formatHex(Writer.stampedValue(0x0102)))
                .isEqualTo("00000000000000000000" + "0102" + "00000000");
    }
}
