package io.ssewatch.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link SseParser} against the WHATWG framing rules. Every input goes through
 * {@link #parse}, which feeds it whole, one byte at a time, and split in two at every
 * position, and requires the same result from each, so each rule is also checked across
 * chunk boundaries.
 */
class SseParserTest {

    private record EmptyDispatch(String lastEventId) {
    }

    private record Retry(long millis) {
    }

    private record Comment(String text) {
    }

    /** Records everything the parser reports, in order. */
    private static final class Recorder implements SseParser.Handler {
        final List<Object> calls = new ArrayList<>();

        @Override
        public void onEvent(SseEvent event) {
            calls.add(event);
        }

        @Override
        public void onEmptyDispatch(String lastEventId) {
            calls.add(new EmptyDispatch(lastEventId));
        }

        @Override
        public void onRetry(long millis) {
            calls.add(new Retry(millis));
        }

        @Override
        public void onComment(String text) {
            calls.add(new Comment(text));
        }
    }

    private static SseEvent event(String type, String data, String lastEventId) {
        return new SseEvent(type, data, lastEventId);
    }

    private static List<Object> parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses {@code bytes} with every chunking and returns the calls, which must agree. */
    private static List<Object> parse(byte[] bytes) {
        List<Object> whole = parseChunks(List.of(bytes));
        List<byte[]> single = new ArrayList<>();
        for (byte b : bytes) {
            single.add(new byte[] {b});
        }
        assertThat(parseChunks(single)).as("byte at a time").isEqualTo(whole);
        for (int split = 0; split <= bytes.length; split++) {
            byte[] head = Arrays.copyOfRange(bytes, 0, split);
            byte[] tail = Arrays.copyOfRange(bytes, split, bytes.length);
            assertThat(parseChunks(List.of(head, tail))).as("split at byte %d", split)
                    .isEqualTo(whole);
        }
        Recorder viaArray = new Recorder();
        new SseParser(viaArray).feed(bytes, 0, bytes.length);
        assertThat(viaArray.calls).as("fed as an array").isEqualTo(whole);
        return whole;
    }

    private static List<Object> parseChunks(List<byte[]> chunks) {
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder);
        for (byte[] chunk : chunks) {
            ByteBuffer buffer = ByteBuffer.wrap(chunk);
            parser.feed(buffer);
            assertThat(buffer.hasRemaining()).as("bytes left in the buffer after feed").isFalse();
        }
        return recorder.calls;
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String text) {
                out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            } else {
                for (int b : (int[]) part) {
                    out.write(b);
                }
            }
        }
        return out.toByteArray();
    }

    @Test
    void blankLine_dispatchesEvent() {
        assertThat(parse("event: created\nid: 5\ndata: {\"id\":\"a\"}\n\n"))
                .containsExactly(event("created", "{\"id\":\"a\"}", "5"));
    }

    @Test
    void noBlankLine_noDispatch() {
        assertThat(parse("event: created\nid: 5\ndata: {\"id\":\"a\"}\n")).isEmpty();
    }

    @Test
    void endOfInputMidEvent_noDispatch() {
        assertThat(parse("data: a\n\ndata: b")).containsExactly(event("message", "a", ""));
    }

    @Test
    void lineEndings_lfCrAndCrlfAreEquivalent() {
        List<Object> expected = List.of(event("updated", "x", "1"));

        assertThat(parse("event: updated\nid: 1\ndata: x\n\n")).isEqualTo(expected);
        assertThat(parse("event: updated\rid: 1\rdata: x\r\r")).isEqualTo(expected);
        assertThat(parse("event: updated\r\nid: 1\r\ndata: x\r\n\r\n")).isEqualTo(expected);
        assertThat(parse("event: updated\r\nid: 1\rdata: x\n\r\n")).isEqualTo(expected);
    }

    @Test
    void crlf_isOneLineBreakAcrossChunks() {
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder);

        parser.feed(ByteBuffer.wrap(bytes("data: a\r")));
        parser.feed(ByteBuffer.wrap(bytes("\n\r")));
        assertThat(recorder.calls).as("after CR LF CR").containsExactly(event("message", "a", ""));

        parser.feed(ByteBuffer.wrap(bytes("\n")));
        assertThat(recorder.calls).as("the LF after a CR is no second blank line")
                .containsExactly(event("message", "a", ""));
    }

    @Test
    void crCr_isTwoLineBreaks() {
        assertThat(parse("data: a\r\rdata: b\r\r"))
                .containsExactly(event("message", "a", ""), event("message", "b", ""));
    }

    @Test
    void lfCr_isTwoLineBreaks() {
        assertThat(parse("data: a\n\r")).containsExactly(event("message", "a", ""));
    }

    @Test
    void dataLines_joinedWithLf() {
        assertThat(parse("data: a\ndata:\ndata: b\n\n"))
                .containsExactly(event("message", "a\n\nb", ""));
    }

    @Test
    void dataLines_keepUnicodeLineSeparators() {
        assertThat(parse("data: a\u2028b\u2029c\u0085d\u000be\u000cf\n\n"))
                .containsExactly(event("message", "a\u2028b\u2029c\u0085d\u000be\u000cf", ""));
    }

    @Test
    void colon_oneSpaceAfterItIsRemoved() {
        assertThat(parse("data:a\n\n")).containsExactly(event("message", "a", ""));
        assertThat(parse("data: a\n\n")).containsExactly(event("message", "a", ""));
        assertThat(parse("data:  a\n\n")).containsExactly(event("message", " a", ""));
        assertThat(parse("data:\ta\n\n")).containsExactly(event("message", "\ta", ""));
    }

    @Test
    void colon_laterColonsBelongToTheValue() {
        assertThat(parse("data: a: b:c\n\n")).containsExactly(event("message", "a: b:c", ""));
    }

    @Test
    void lineWithoutColon_isFieldWithEmptyValue() {
        assertThat(parse("data\n\n")).containsExactly(event("message", "", ""));
        assertThat(parse("event\ndata: x\n\n")).containsExactly(event("message", "x", ""));
    }

    @Test
    void emptyDataLine_dispatchesEmptyString() {
        assertThat(parse("data:\n\n")).containsExactly(event("message", "", ""));
        assertThat(parse("data: \n\n")).containsExactly(event("message", "", ""));
        assertThat(parse("data\ndata\n\n")).containsExactly(event("message", "\n", ""));
    }

    @Test
    void frameWithoutData_firesNoEvent() {
        assertThat(parse("event: created\n\n")).containsExactly(new EmptyDispatch(""));
    }

    @Test
    void eventType_defaultsToMessage() {
        assertThat(parse("data: x\n\n")).containsExactly(event("message", "x", ""));
        assertThat(parse("event:\ndata: x\n\n")).containsExactly(event("message", "x", ""));
    }

    @Test
    void eventType_resetAfterDispatch() {
        assertThat(parse("event: a\ndata: 1\n\ndata: 2\n\n"))
                .containsExactly(event("a", "1", ""), event("message", "2", ""));
    }

    @Test
    void eventType_resetByFrameWithoutData() {
        assertThat(parse("event: a\n\ndata: 2\n\n"))
                .containsExactly(new EmptyDispatch(""), event("message", "2", ""));
    }

    @Test
    void eventType_lastFieldWins() {
        assertThat(parse("event: a\nevent: b\ndata: 1\n\n")).containsExactly(event("b", "1", ""));
    }

    @Test
    void fieldNames_areCaseSensitive() {
        assertThat(parse("Data: x\nEVENT: a\n\n")).containsExactly(new EmptyDispatch(""));
    }

    @Test
    void unknownField_ignored() {
        assertThat(parse("foo: bar\ndata: x\n\n")).containsExactly(event("message", "x", ""));
        assertThat(parse("data : x\n\n")).as("a space before the colon is part of the name")
                .containsExactly(new EmptyDispatch(""));
    }

    @Test
    void id_appliesToLaterEventsUntilChanged() {
        assertThat(parse("id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n")).containsExactly(
                event("message", "a", "1"),
                event("message", "b", "1"),
                event("message", "c", "2"));
    }

    @Test
    void id_emptyValueResetsIt() {
        assertThat(parse("id: 1\ndata: a\n\nid\ndata: b\n\nid:\ndata: c\n\n")).containsExactly(
                event("message", "a", "1"),
                event("message", "b", ""),
                event("message", "c", ""));
    }

    @Test
    void id_containingNulIgnored() {
        assertThat(parse("id: 1\n\nid: 2\u00003\ndata: x\n\n"))
                .containsExactly(new EmptyDispatch("1"), event("message", "x", "1"));
    }

    @Test
    void id_onlyFrameMovesLastEventId() {
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder);

        parser.feed(ByteBuffer.wrap(bytes("id: 7\n")));
        assertThat(parser.lastEventId()).as("before the blank line").isEmpty();

        parser.feed(ByteBuffer.wrap(bytes("\n")));
        assertThat(parser.lastEventId()).as("after the blank line").isEqualTo("7");
        assertThat(recorder.calls).containsExactly(new EmptyDispatch("7"));
    }

    @Test
    void id_resumedParserStartsWithGivenId() {
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder, "41");

        parser.feed(ByteBuffer.wrap(bytes(": ping\n\ndata: x\n\n")));

        assertThat(parser.lastEventId()).isEqualTo("41");
        assertThat(recorder.calls).containsExactly(
                new Comment("ping"), new EmptyDispatch("41"), event("message", "x", "41"));
    }

    @Test
    void retry_asciiDigitsAccepted() {
        assertThat(parse("retry: 3000\n")).containsExactly(new Retry(3000));
        assertThat(parse("retry:0\n")).containsExactly(new Retry(0));
        assertThat(parse("retry: 99999999999999999999999\n"))
                .as("a value beyond a long saturates").containsExactly(new Retry(Long.MAX_VALUE));
    }

    @Test
    void retry_anythingButDigitsIgnored() {
        for (String value : List.of("", " 5", "5 ", "-1", "+1", "1.5", "30a", "1e3", "\u0663")) {
            assertThat(parse("retry: " + value + "\n")).as("retry: \"%s\"", value).isEmpty();
        }
        assertThat(parse("retry\n")).as("retry without a colon").isEmpty();
    }

    @Test
    void retry_doesNotTouchEventFields() {
        assertThat(parse("event: a\nretry: 10\ndata: x\n\n"))
                .containsExactly(new Retry(10), event("a", "x", ""));
    }

    @Test
    void comment_reportedAndIgnored() {
        assertThat(parse(": ping - 2026-07-02T14:31:30.991114Z\n\n")).containsExactly(
                new Comment("ping - 2026-07-02T14:31:30.991114Z"), new EmptyDispatch(""));
        assertThat(parse(":\n:  two spaces\n")).containsExactly(
                new Comment(""), new Comment(" two spaces"));
    }

    @Test
    void comment_insideFrameDoesNotEndIt() {
        assertThat(parse("data: a\n: note\ndata: b\n\n"))
                .containsExactly(new Comment("note"), event("message", "a\nb", ""));
    }

    @Test
    void byteOrderMark_strippedAtStart() {
        assertThat(parse(bytes(new int[] {0xEF, 0xBB, 0xBF}, "data: a\n\n")))
                .containsExactly(event("message", "a", ""));
    }

    @Test
    void byteOrderMark_onlyFirstOneStripped() {
        assertThat(parse(bytes(new int[] {0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF}, "data: a\n\n")))
                .as("the second BOM makes the field name \\uFEFFdata, which is unknown")
                .containsExactly(new EmptyDispatch(""));
    }

    @Test
    void byteOrderMark_keptAfterStart() {
        assertThat(parse("data: \uFEFFa\n\n")).containsExactly(event("message", "\uFEFFa", ""));
        assertThat(parse("\n\uFEFFdata: a\n\n")).as("a BOM after the first character")
                .containsExactly(new EmptyDispatch(""), new EmptyDispatch(""));
    }

    @Test
    void multibyteUtf8_decodedAcrossEverySplit() {
        String text = "z\u00df\u20ac\ud83d\ude00\u0800\uffff\udbff\udfff";
        assertThat(parse("id: \u00e9\u00e9\nevent: \u00fcber\ndata: " + text + "\n\n"))
                .containsExactly(event("\u00fcber", text, "\u00e9\u00e9"));
    }

    @Test
    void invalidUtf8_becomesReplacementCharacters() {
        assertThat(parse(bytes("data: ", new int[] {0xC3, 0x28}, "\n\n")))
                .as("a lead byte followed by ASCII")
                .containsExactly(event("message", "\ufffd(", ""));
        assertThat(parse(bytes("data: ", new int[] {0xE2, 0x82}, "\n\n")))
                .as("a sequence cut by LF")
                .containsExactly(event("message", "\ufffd", ""));
        assertThat(parse(bytes("data: ", new int[] {0xC0, 0xAF}, "\n\n")))
                .as("an overlong slash")
                .containsExactly(event("message", "\ufffd\ufffd", ""));
        assertThat(parse(bytes("data: ", new int[] {0xED, 0xA0, 0x80}, "\n\n")))
                .as("an encoded surrogate")
                .containsExactly(event("message", "\ufffd\ufffd\ufffd", ""));
        assertThat(parse(bytes("data: ", new int[] {0xF4, 0x90, 0x80, 0x80}, "\n\n")))
                .as("a code point above U+10FFFF")
                .containsExactly(event("message", "\ufffd\ufffd\ufffd\ufffd", ""));
        assertThat(parse(bytes("data: ", new int[] {0xFF, 0x80}, "x\n\n")))
                .as("bytes that never start a sequence")
                .containsExactly(event("message", "\ufffd\ufffdx", ""));
    }

    @Test
    void largeEvent_parsedWhole() {
        String payload = "x".repeat(200_000);
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder);
        byte[] bytes = bytes("data: ", payload, "\n\ndata: small\n\n");

        for (int offset = 0; offset < bytes.length; offset += 8192) {
            parser.feed(bytes, offset, Math.min(8192, bytes.length - offset));
        }

        assertThat(recorder.calls).containsExactly(
                event("message", payload, ""), event("message", "small", ""));
    }

    @Test
    void wireFormat_snapshotPingChangeBookmark() {
        String stream = "event: snapshot\nid: r1\nretry: 3000\ndata: [{\"id\":\"a\"}]\n\n"
                + ": ping - 2026-07-02T14:31:30.991114Z\n\n"
                + "event: deleted\nid: r2\ndata: {\"id\":\"a\"}\n\n"
                + "id: r3\n\n"
                + "event: unavailable\ndata: {\"detail\": \"store down\"}\n\n";

        assertThat(parse(stream)).containsExactly(
                new Retry(3000),
                event("snapshot", "[{\"id\":\"a\"}]", "r1"),
                new Comment("ping - 2026-07-02T14:31:30.991114Z"),
                new EmptyDispatch("r1"),
                event("deleted", "{\"id\":\"a\"}", "r2"),
                new EmptyDispatch("r3"),
                event("unavailable", "{\"detail\": \"store down\"}", "r3"));
    }
}
