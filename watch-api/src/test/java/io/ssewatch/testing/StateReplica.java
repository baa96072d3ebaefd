package io.ssewatch.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a well-behaved client does with a list stream: replaces its state on {@code snapshot},
 * applies {@code created}, {@code updated} and {@code deleted}, and remembers the last id. It
 * records every id it saw, so a test can check that no revision repeats or goes backwards.
 */
public final class StateReplica {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, JsonNode> state = new HashMap<>();
    private final List<String> ids = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final Function<String, Long> order;
    private String lastId;
    private int snapshots;

    /**
     * Creates a replica.
     *
     * @param order maps an event id to a number that must grow from event to event
     */
    public StateReplica(Function<String, Long> order) {
        this.order = order;
    }

    /** Applies one frame; comments are ignored, an id-only frame moves the cursor. */
    public void apply(SseEvent event) {
        if (event.id() != null) {
            boolean change = event.data() != null && !"snapshot".equals(event.event());
            if (lastId != null) {
                long previous = order.apply(lastId);
                long current = order.apply(event.id());
                if (current < previous || (change && current == previous)) {
                    violations.add((change ? "change " : "frame ") + event.id() + " after "
                            + lastId + ": " + event.raw().substring(0,
                                    Math.min(80, event.raw().length())));
                }
            }
            ids.add(event.id());
            lastId = event.id();
        }
        if (event.event() == null || event.data() == null) {
            return;
        }
        JsonNode data = parse(event.data());
        switch (event.event()) {
            case "snapshot" -> {
                snapshots++;
                state.clear();
                data.forEach(item -> state.put(item.get("id").asText(), item));
            }
            case "created", "updated" -> state.put(data.get("id").asText(), data);
            case "deleted" -> state.remove(data.get("id").asText());
            default -> {
            }
        }
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Map<String, JsonNode> state() {
        return state;
    }

    public String lastId() {
        return lastId;
    }

    public int snapshots() {
        return snapshots;
    }

    /**
     * Checks that ids never went backwards and that every change had an id above the one
     * before it, so that no change repeated. A snapshot or bookmark may repeat the last id.
     */
    public void assertIdsIncreasing() {
        assertThat(violations).as("ids out of order or repeated").isEmpty();
    }

    /** Returns every id seen, in order. */
    public List<String> ids() {
        return ids;
    }
}
