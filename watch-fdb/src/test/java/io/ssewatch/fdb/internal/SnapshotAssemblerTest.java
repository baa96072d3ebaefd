package io.ssewatch.fdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.apple.foundationdb.subspace.Subspace;
import com.apple.foundationdb.tuple.Tuple;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ssewatch.api.ChangeEvent;
import io.ssewatch.api.ChangeType;
import io.ssewatch.api.Resource;
import io.ssewatch.api.Revision;
import io.ssewatch.api.Snapshot;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SnapshotAssemblerTest {

    private final KeyLayout keys = new KeyLayout(new Subspace(Tuple.from("s")));
    private final Revisions revisions = new Revisions(1);

    private static JsonNode body(String name) {
        return JsonNodeFactory.instance.objectNode().put("name", name);
    }

    private Revision change(long version) {
        return revisions.change(ByteBuffer.allocate(10).putLong(version).array(), 0);
    }

    private static Map<String, JsonNode> page(String... idsAndNames) {
        Map<String, JsonNode> resources = new LinkedHashMap<>();
        for (int i = 0; i < idsAndNames.length; i += 2) {
            resources.put(idsAndNames[i], body(idsAndNames[i + 1]));
        }
        return resources;
    }

    private static Map<String, JsonNode> asMap(Snapshot snapshot) {
        return snapshot.resources().stream()
                .collect(Collectors.toMap(Resource::id, Resource::body));
    }

    /** Pages a..f read at version 10, g..m at 20, n.. at 30. */
    private SnapshotAssembler threePages() {
        SnapshotAssembler assembler = new SnapshotAssembler(keys, "c");
        assembler.addPage(revisions.snapshot(10), keys.resourcesRange("c").begin,
                page("a", "a0", "b", "b0"));
        assembler.addPage(revisions.snapshot(20), keys.resourceRange("c", "g").begin,
                page("g", "g1", "h", "h0"));
        assembler.addPage(revisions.snapshot(30), keys.resourceRange("c", "n").begin,
                page("n", "n2"));
        return assembler;
    }

    @Test
    void apply_changesNewerThanTheirPage() {
        SnapshotAssembler assembler = threePages();

        assembler.apply(new ChangeEvent(ChangeType.UPDATED, "c", "a", body("a0"), body("a1"),
                change(15)));
        assembler.apply(new ChangeEvent(ChangeType.DELETED, "c", "b", body("b0"), null,
                change(25)));
        assembler.apply(new ChangeEvent(ChangeType.CREATED, "c", "c", null, body("c1"),
                change(26)));
        assembler.apply(new ChangeEvent(ChangeType.DELETED, "c", "h", body("h0"), null,
                change(25)));

        Snapshot snapshot = assembler.build(revisions.snapshot(30));
        assertThat(asMap(snapshot)).isEqualTo(Map.of("a", body("a1"), "c", body("c1"),
                "g", body("g1"), "n", body("n2")));
    }

    @Test
    void apply_skipsChangesTheirPageAlreadyHas() {
        SnapshotAssembler assembler = threePages();

        assembler.apply(new ChangeEvent(ChangeType.UPDATED, "c", "g", body("g0"), body("g1"),
                change(15)));
        assembler.apply(new ChangeEvent(ChangeType.UPDATED, "c", "n", body("n1"), body("n2"),
                change(25)));

        Snapshot snapshot = assembler.build(revisions.snapshot(30));
        assertThat(asMap(snapshot).get("g")).isEqualTo(body("g1"));
        assertThat(asMap(snapshot).get("n")).isEqualTo(body("n2"));
    }

    @Test
    void firstRevision_isFirstPage() {
        assertThat(threePages().firstRevision()).isEqualTo(revisions.snapshot(10));
    }

    @Test
    void build_beforeLastPage_rejected() {
        assertThatThrownBy(() -> threePages().build(revisions.snapshot(20)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addPage_outOfOrder_rejected() {
        SnapshotAssembler assembler = new SnapshotAssembler(keys, "c");
        assembler.addPage(revisions.snapshot(10), keys.resourceRange("c", "g").begin, page());

        assertThatThrownBy(() -> assembler.addPage(revisions.snapshot(20),
                keys.resourceRange("c", "a").begin, page()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
