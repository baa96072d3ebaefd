package io.ssewatch.api;

import io.ssewatch.api.internal.PathTemplate;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Declares one watchable endpoint: its path, the collection behind it, which resources a
 * watch sees, how they are rendered, and which parents it depends on. A host writes one per
 * list or detail endpoint; the same object serves every HTTP adapter.
 *
 * <pre>{@code
 * WatchRoute volumes = WatchRoute.list("/api/v2/pools/{pool}/volumes/")
 *         .collection(params -> "pools/" + params.get("pool") + "/volumes")
 *         .renderer(VolumeDto::of)
 *         .parents(params -> List.of(new ResourceRef("pools", params.get("pool"))))
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe once built.
 */
public final class WatchRoute {

    private static final Comparator<Resource> BY_ID = Comparator.comparing(Resource::id);
    private static final BiPredicate<PathParams, Resource> EVERYTHING = (params, resource) -> true;

    private final boolean detail;
    private final PathTemplate template;
    private final Function<PathParams, String> collection;
    private final Function<PathParams, String> id;
    private final BiPredicate<PathParams, Resource> scope;
    private final Renderer renderer;
    private final Comparator<Resource> order;
    private final Function<PathParams, List<ResourceRef>> parents;

    private WatchRoute(Builder builder) {
        this.detail = builder.detail;
        this.template = builder.template;
        this.collection = Objects.requireNonNull(builder.collection,
                () -> "route " + builder.template + " has no collection (call collection(...))");
        this.id = builder.id;
        this.scope = builder.scope;
        this.renderer = builder.renderer;
        this.order = builder.order;
        this.parents = builder.parents;
    }

    /**
     * Starts a list route: the snapshot is a JSON array of every resource in scope.
     *
     * @param pathTemplate the request path, with {@code {name}} for variable segments
     */
    public static Builder list(String pathTemplate) {
        return new Builder(false, pathTemplate);
    }

    /**
     * Starts a detail route: the snapshot is the object itself, a missing resource gets
     * 404, and the stream closes after {@code deleted}. By default the id is the template's
     * last variable segment.
     */
    public static Builder detail(String pathTemplate) {
        return new Builder(true, pathTemplate);
    }

    /** Returns whether this is a detail route. */
    public boolean isDetail() {
        return detail;
    }

    /** Returns the path template. */
    public String pathTemplate() {
        return template.toString();
    }

    /** Returns the parameters of {@code path}, or {@code null} when it does not match. */
    public PathParams match(String path) {
        return template.match(path);
    }

    /** Returns the collection that a request with these parameters watches. */
    public String collection(PathParams params) {
        return collection.apply(params);
    }

    /** Returns the watched resource id of a detail route, or {@code null} for a list. */
    public String resourceId(PathParams params) {
        return detail ? id.apply(params) : null;
    }

    /**
     * Returns whether a scope predicate was set. Without one, every watch of the route sees
     * the whole collection, so watches can share one encoded snapshot.
     */
    public boolean hasScope() {
        return scope != EVERYTHING;
    }

    /** Returns whether a resource is visible to a watch with these parameters. */
    public boolean inScope(PathParams params, Resource resource) {
        return scope.test(params, resource);
    }

    public Renderer renderer() {
        return renderer;
    }

    /** Returns the order of the resources in a list snapshot. */
    public Comparator<Resource> order() {
        return order;
    }

    /** Returns the resources that a watch with these parameters depends on. */
    public List<ResourceRef> parents(PathParams params) {
        return parents.apply(params);
    }

    @Override
    public String toString() {
        return (detail ? "detail " : "list ") + template;
    }

    /** Builds a {@link WatchRoute}. Not thread-safe. */
    public static final class Builder {
        private final boolean detail;
        private final PathTemplate template;
        private Function<PathParams, String> collection;
        private Function<PathParams, String> id;
        private BiPredicate<PathParams, Resource> scope = EVERYTHING;
        private Renderer renderer = Renderer.IDENTITY;
        private Comparator<Resource> order = BY_ID;
        private Function<PathParams, List<ResourceRef>> parents = params -> List.of();

        private Builder(boolean detail, String pathTemplate) {
            this.detail = detail;
            this.template = PathTemplate.parse(pathTemplate);
            if (detail) {
                if (template.names().isEmpty()) {
                    throw new IllegalArgumentException("detail route " + pathTemplate
                            + " has no {id} segment (expected: at least one {name} segment)");
                }
                String last = template.names().get(template.names().size() - 1);
                this.id = params -> params.get(last);
            }
        }

        /** Sets the collection by name, for routes whose collection does not vary. */
        public Builder collection(String name) {
            Objects.requireNonNull(name, "name");
            this.collection = params -> name;
            return this;
        }

        /**
         * Sets the collection from the path, for partitioned collections such as
         * {@code pools/{pool}/volumes}, so that only watched partitions are held in memory.
         */
        public Builder collection(Function<PathParams, String> collection) {
            this.collection = Objects.requireNonNull(collection, "collection");
            return this;
        }

        /** Sets how a detail route finds its resource id; by default the last segment. */
        public Builder id(Function<PathParams, String> id) {
            if (!detail) {
                throw new IllegalStateException("id(...) applies to detail routes only: " + template);
            }
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * Sets the scope: the same predicate the endpoint applies when it lists. A resource
         * that enters the scope arrives as {@code created}, one that leaves as
         * {@code deleted}. Called from hub threads; must be fast and must not block.
         */
        public Builder scope(BiPredicate<PathParams, Resource> scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /** Sets the renderer; by default the stored body is sent as it is. */
        public Builder renderer(Renderer renderer) {
            this.renderer = Objects.requireNonNull(renderer, "renderer");
            return this;
        }

        /** Sets the order of a list snapshot; by default by id. */
        public Builder order(Comparator<Resource> order) {
            this.order = Objects.requireNonNull(order, "order");
            return this;
        }

        /**
         * Sets the parents a watch depends on. A watch whose parent is missing gets 404,
         * an open stream ends when a parent is deleted.
         */
        public Builder parents(Function<PathParams, List<ResourceRef>> parents) {
            this.parents = Objects.requireNonNull(parents, "parents");
            return this;
        }

        public WatchRoute build() {
            return new WatchRoute(this);
        }
    }
}
