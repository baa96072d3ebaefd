package io.ssewatch.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8DecoderTest {

    private static String decode(byte[] bytes) {
        Utf8Decoder decoder = new Utf8Decoder();
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            decoder.decode(b, out::appendCodePoint);
        }
        decoder.end(out::appendCodePoint);
        return out.toString();
    }

    @Test
    void validInput_matchesJdkDecoder() {
        StringBuilder all = new StringBuilder();
        for (int codePoint = 0; codePoint <= 0x10FFFF; codePoint += 97) {
            if (codePoint < Character.MIN_SURROGATE || codePoint > Character.MAX_SURROGATE) {
                all.appendCodePoint(codePoint);
            }
        }
        all.appendCodePoint(0x7F).appendCodePoint(0x80).appendCodePoint(0x7FF)
                .appendCodePoint(0x800).appendCodePoint(0xFFFF).appendCodePoint(0x10000)
                .appendCodePoint(0x10FFFF);
        String text = all.toString();

        assertThat(decode(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
    }

    @Test
    void truncatedSequenceAtEnd_becomesOneReplacement() {
        assertThat(decode(new byte[] {'a', (byte) 0xF0, (byte) 0x9F, (byte) 0x98}))
                .isEqualTo("a\ufffd");
    }

    @Test
    void end_resetsForNextInput() {
        Utf8Decoder decoder = new Utf8Decoder();
        StringBuilder out = new StringBuilder();

        decoder.decode((byte) 0xC3, out::appendCodePoint);
        decoder.end(out::appendCodePoint);
        decoder.decode((byte) 'b', out::appendCodePoint);

        assertThat(out.toString()).isEqualTo("\ufffdb");
    }
}
