package io.ssewatch.api.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SseEncoderTest {

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void eventWithAllFields() {
        byte[] frame = SseEncoder.event("snapshot", "7-abc", 3000, "[]");

        assertThat(text(frame)).isEqualTo("event: snapshot\nid: 7-abc\nretry: 3000\ndata: []\n\n");
    }

    @Test
    void eventWithoutOptionalFields() {
        assertThat(text(SseEncoder.event(null, null, -1, "x"))).isEqualTo("data: x\n\n");
    }

    @Test
    void multiLinePayloadSplitsOnLfCrAndCrlf() {
        byte[] frame = SseEncoder.event("e", null, -1, "a\nb\rc\r\nd");

        assertThat(text(frame)).isEqualTo("event: e\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
    }

    @Test
    void trailingAndDoubledLineBreaksKeepEmptyDataLines() {
        assertThat(text(SseEncoder.event(null, null, -1, "a\n"))).isEqualTo("data: a\ndata:\n\n");
        assertThat(text(SseEncoder.event(null, null, -1, "a\n\nb")))
                .isEqualTo("data: a\ndata:\ndata: b\n\n");
        assertThat(text(SseEncoder.event(null, null, -1, "\r\n"))).isEqualTo("data:\ndata:\n\n");
    }

    @Test
    void emptyPayloadIsOneEmptyDataLine() {
        assertThat(text(SseEncoder.event("e", null, -1, ""))).isEqualTo("event: e\ndata:\n\n");
    }

    @Test
    void utf8AndLineSeparatorPassUnchanged() {
        String payload = "{\"name\":\"Grüße \u2028 日本 \uD83D\uDE00\"}";

        byte[] frame = SseEncoder.event("e", null, -1, payload);

        assertThat(text(frame)).isEqualTo("event: e\ndata: " + payload + "\n\n");
    }

    @Test
    void invalidEventNamesAreRejected() {
        assertThatThrownBy(() -> SseEncoder.event("a\nb", null, -1, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event name").hasMessageContaining("LF");
        assertThatThrownBy(() -> SseEncoder.event("a\rb", null, -1, "x"))
                .hasMessageContaining("CR");
        assertThatThrownBy(() -> SseEncoder.event("a\0b", null, -1, "x"))
                .hasMessageContaining("NUL");
        assertThatThrownBy(() -> SseEncoder.event("", null, -1, "x"))
                .hasMessageContaining("empty");
    }

    @Test
    void invalidIdsAreRejected() {
        assertThatThrownBy(() -> SseEncoder.event("e", "1\n2", -1, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event id");
        assertThatThrownBy(() -> SseEncoder.idOnly("1\u00002"))
                .hasMessageContaining("NUL");
    }

    @Test
    void idOnlyFrameHasNoData() {
        assertThat(text(SseEncoder.idOnly("9-abc"))).isEqualTo("id: 9-abc\n\n");
    }

    @Test
    void pingIsCommentWithMicrosecondUtcTime() {
        Instant at = Instant.parse("2026-07-02T14:31:30.991114789Z");

        assertThat(text(SseEncoder.ping(at))).isEqualTo(": ping - 2026-07-02T14:31:30.991114Z\n\n");
    }

    @Test
    void multiLineCommentStaysComment() {
        assertThat(text(SseEncoder.comment("a\nb"))).isEqualTo(": a\n: b\n\n");
    }

    @Test
    void retryOnlyFrame() {
        assertThat(text(SseEncoder.retryOnly(2500))).isEqualTo("retry: 2500\n\n");
        assertThatThrownBy(() -> SseEncoder.retryOnly(-1)).hasMessageContaining("-1");
    }
}
