package io.ssewatch.api.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssewatch.api.Renderer;
import io.ssewatch.api.Resource;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One resource state held by a hub, with its rendered JSON cached per renderer.
 *
 * <p>The state never changes; a change to the resource makes a new entry. Each renderer
 * renders the entry at most once in the common case (two threads may race to fill the same
 * slot, and both compute the same bytes), so a change costs one render per renderer however
 * many watches send it.
 */
final class Entry {

    final Resource resource;
    private final AtomicReferenceArray<byte[]> renders;

    Entry(String id, JsonNode body, int rendererCount) {
        this.resource = new Resource(id, body);
        this.renders = new AtomicReferenceArray<>(rendererCount);
    }

    String id() {
        return resource.id();
    }

    /**
     * Returns the rendered JSON of this state for one renderer.
     *
     * @throws RenderException when the renderer throws or its result cannot be serialized
     */
    byte[] rendered(int index, Renderer renderer, ObjectMapper mapper) {
        byte[] cached = renders.get(index);
        if (cached != null) {
            return cached;
        }
        byte[] json;
        try {
            Object dto = renderer.render(resource);
            json = mapper.writeValueAsBytes(dto);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new RenderException("rendering resource " + resource.id() + " failed", e);
        }
        renders.compareAndSet(index, null, json);
        return renders.get(index);
    }

    /** Signals a renderer that threw or returned something Jackson cannot write. */
    static final class RenderException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RenderException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
