package io.ssewatch.api;

/**
 * Turns a stored resource into what the endpoint returns: the DTO. The core serializes the
 * result with Jackson, once per resource state and renderer, and shares the bytes among all
 * watches whose route uses the same renderer instance.
 *
 * <p>Must be a pure function of the resource: it is called from hub threads, possibly
 * concurrently, and its result is cached.
 */
@FunctionalInterface
public interface Renderer {

    /** The renderer that returns the stored body unchanged. */
    Renderer IDENTITY = Resource::body;

    /** Returns the value to serialize: a Jackson tree or any object Jackson can write. */
    Object render(Resource resource);
}
