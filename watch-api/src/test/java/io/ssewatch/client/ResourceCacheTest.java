package io.ssewatch.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ResourceCacheTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static CachedResource<JsonNode> resource(String id, int n) {
        JsonNode tree = MAPPER.createObjectNode().put("id", id).put("n", n);
        return new CachedResource<>(id, tree, tree);
    }

    private static List<String> describe(List<ResourceCache.Change<JsonNode>> changes) {
        return changes.stream()
                .map(change -> change.type() + " "
                        + (change.current() != null ? change.current() : change.previous()).id())
                .collect(Collectors.toList());
    }

    @Test
    void firstSnapshot_reportsCreationsAndSyncs() {
        ResourceCache<JsonNode> cache = new ResourceCache<>();
        assertThat(cache.isSynced()).isFalse();

        List<ResourceCache.Change<JsonNode>> changes =
                cache.replaceAll(List.of(resource("a", 1), resource("b", 1)));

        assertThat(describe(changes)).containsExactly("CREATED a", "CREATED b");
        assertThat(cache.isSynced()).isTrue();
    }

    @Test
    void replaceAll_deletionsFirstThenSnapshotOrder() {
        ResourceCache<JsonNode> cache = new ResourceCache<>();
        cache.replaceAll(List.of(resource("a", 1), resource("b", 1), resource("c", 1),
                resource("d", 1)));

        List<ResourceCache.Change<JsonNode>> changes = cache.replaceAll(
                List.of(resource("e", 1), resource("b", 2), resource("a", 1)));

        assertThat(describe(changes))
                .containsExactly("DELETED c", "DELETED d", "CREATED e", "UPDATED b");
        assertThat(changes.get(3).previous().tree().get("n").asInt()).isEqualTo(1);
        assertThat(changes.get(3).current().tree().get("n").asInt()).isEqualTo(2);
        assertThat(cache.copy().keySet()).containsExactly("e", "b", "a");
    }

    @Test
    void replaceAll_duplicateIdLaterWins() {
        ResourceCache<JsonNode> cache = new ResourceCache<>();

        cache.replaceAll(List.of(resource("a", 1), resource("a", 2)));

        assertThat(cache.get("a").orElseThrow().get("n").asInt()).isEqualTo(2);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void copy_isUnmodifiableAndDetached() {
        ResourceCache<JsonNode> cache = new ResourceCache<>();
        cache.replaceAll(List.of(resource("a", 1)));

        Map<String, JsonNode> copy = cache.copy();
        cache.put(resource("b", 1));
        cache.remove("a");

        assertThat(copy).containsOnlyKeys("a");
        assertThatThrownBy(() -> copy.put("c", null))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void putAndRemove_returnPreviousEntry() {
        ResourceCache<JsonNode> cache = new ResourceCache<>();

        assertThat(cache.put(resource("a", 1))).isNull();
        assertThat(cache.put(resource("a", 2)).tree().get("n").asInt()).isEqualTo(1);
        assertThat(cache.remove("a").tree().get("n").asInt()).isEqualTo(2);
        assertThat(cache.remove("a")).isNull();
    }
}
