package io.ssewatch.fdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssewatch.api.ChangeEvent;
import io.ssewatch.api.ChangeType;
import io.ssewatch.api.Revision;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private final EventCodec codec = new EventCodec(new ObjectMapper());
    private final Revision revision = new Revisions(1).snapshot(7);

    private static ObjectNode body(String name) {
        return JsonNodeFactory.instance.objectNode().put("name", name);
    }

    @Test
    void updated_roundTripsBothStates() {
        byte[] encoded = codec.encodeChange(ChangeType.UPDATED, "v1", body("a"), body("b"));

        ChangeEvent change = codec.decodeChange("volumes", revision, encoded);

        assertThat(change).isEqualTo(new ChangeEvent(ChangeType.UPDATED, "volumes", "v1",
                body("a"), body("b"), revision));
    }

    @Test
    void createdAndDeleted_omitMissingState() {
        byte[] created = codec.encodeChange(ChangeType.CREATED, "v1", null, body("a"));
        byte[] deleted = codec.encodeChange(ChangeType.DELETED, "v1", body("a"), null);

        assertThat(new String(created, StandardCharsets.UTF_8)).doesNotContain("before");
        assertThat(new String(deleted, StandardCharsets.UTF_8)).doesNotContain("after");
        assertThat(codec.decodeChange("volumes", revision, created).type())
                .isEqualTo(ChangeType.CREATED);
        assertThat(codec.decodeChange("volumes", revision, deleted).before())
                .isEqualTo(body("a"));
    }

    @Test
    void decode_unknownFormat_throwsNamingEntry() {
        byte[] foreign = "{\"v\":2,\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decodeChange("volumes", revision, foreign))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(revision.token())
                .hasMessageContaining("unknown format");
    }

    @Test
    void decode_unknownType_throws() {
        byte[] entry = "{\"v\":1,\"type\":\"moved\",\"id\":\"x\",\"after\":{}}"
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decodeChange("volumes", revision, entry))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("\"moved\"");
    }

    @Test
    void body_roundTrips() {
        assertThat(codec.decodeBody(codec.encodeBody(body("a")))).isEqualTo(body("a"));
    }
}
