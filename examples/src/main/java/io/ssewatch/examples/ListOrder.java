package io.ssewatch.examples;

import io.ssewatch.api.Resource;
import java.util.Comparator;

/**
 * The order of the list endpoints. The watch routes use the same comparators, so that a
 * list snapshot arrives in the order a plain GET returns.
 */
public final class ListOrder {

    /** By {@code name}, then by id: clusters, storage pools and volumes. */
    public static final Comparator<Resource> BY_NAME = byField("name");

    /** By {@code hostname}, then by id: storage nodes. */
    public static final Comparator<Resource> BY_HOSTNAME = byField("hostname");

    private ListOrder() {
    }

    private static Comparator<Resource> byField(String field) {
        Comparator<Resource> byValue = Comparator.comparing(r -> r.body().path(field).asText());
        return byValue.thenComparing(Resource::id);
    }
}
