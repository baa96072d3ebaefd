package io.ssewatch.examples.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchStreamTest {

    private final List<Long> changes = new ArrayList<>();
    private final List<Long> commitTimes = new ArrayList<>();
    private int snapshots;
    private final WatchStream stream = new WatchStream(0, null, new WatchStream.Listener() {
        @Override
        public void onSnapshot(WatchStream s) {
            snapshots++;
        }

        @Override
        public void onChange(long id, long commitMicros) {
            changes.add(id);
            commitTimes.add(commitMicros);
        }
    }, true);

    @Test
    void chunkedStream_splitAnywhere_parsesEvents() {
        String body = "event: snapshot\nid: 7-abc\nretry: 3000\ndata: []\n\n"
                + ": ping - 2026-12-04T00:00:00.000000Z\n\n"
                + "event: updated\nid: 8-abc\ndata: {\"name\":\"" + Payloads.name(42) + "\"}\n\n";
        byte[] wire = (head() + chunk(body.substring(0, 30)) + chunk(body.substring(30)))
                .getBytes(StandardCharsets.UTF_8);

        for (byte b : wire) {
            stream.onBytes(new byte[] {b}, 1);
        }

        assertThat(snapshots).isEqualTo(1);
        assertThat(stream.snapshotId).isEqualTo(7);
        assertThat(changes).containsExactly(8L);
        assertThat(commitTimes).containsExactly(42L);
        assertThat(stream.error).isNull();
    }

    @Test
    void changeIds_skipAndRepeat_countGapAndDuplicate() {
        feed(head() + chunk("event: snapshot\nid: 1-a\ndata: []\n\n"
                + "event: updated\nid: 2-a\ndata: {}\n\n"
                + "event: updated\nid: 5-a\ndata: {}\n\n"
                + "event: deleted\nid: 5-a\ndata: {}\n\n"));

        assertThat(stream.received).isEqualTo(2);
        assertThat(stream.gaps).isEqualTo(2);
        assertThat(stream.duplicates).isEqualTo(1);
    }

    @Test
    void unavailableEvent_isAnError() {
        feed(head() + chunk("event: snapshot\nid: 1-a\ndata: []\n\n"
                + "event: unavailable\nretry: 3000\ndata: {\"detail\":\"x\"}\n\n"));

        assertThat(stream.error).isEqualTo("unexpected \"unavailable\" event");
        assertThat(stream.isEnded()).isTrue();
    }

    @Test
    void lastChunk_endsStreamWithError() {
        feed(head() + chunk("event: snapshot\nid: 1-a\ndata: []\n\n") + "0\r\n\r\n");

        assertThat(stream.error).isEqualTo("the server ended the stream");
    }

    @Test
    void non200Status_isAnError() {
        feed("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");

        assertThat(stream.error).startsWith("response status \"HTTP/1.1 404 Not Found\"");
    }

    private void feed(String wire) {
        byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
        stream.onBytes(bytes, bytes.length);
    }

    private static String head() {
        return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n";
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data
                + "\r\n";
    }
}
