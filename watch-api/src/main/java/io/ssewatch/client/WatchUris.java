package io.ssewatch.client;

import java.net.URI;
import java.util.Objects;

/** Checks a watch URI and adds {@code watch=true} to it. */
final class WatchUris {

    private WatchUris() {
    }

    /**
     * Returns the URI with {@code watch=true} in its query and without a fragment.
     *
     * @throws IllegalArgumentException when the URI is not absolute http or https, or its
     *     query already has another {@code watch} value
     */
    static URI withWatchParameter(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)
                || uri.getHost() == null) {
            throw new IllegalArgumentException("uri: \"" + uri + "\" (expected: an absolute http"
                    + " or https URI of a list or detail endpoint)");
        }
        String text = uri.toString();
        int fragment = text.indexOf('#');
        if (fragment >= 0) {
            text = text.substring(0, fragment);
        }
        String query = uri.getRawQuery();
        if (query == null) {
            return URI.create(text + "?watch=true");
        }
        for (String parameter : query.split("&")) {
            if (parameter.equals("watch") || parameter.startsWith("watch=")) {
                if (parameter.equals("watch=true")) {
                    return URI.create(text);
                }
                throw new IllegalArgumentException("uri: \"" + uri + "\" has \"" + parameter
                        + "\" (expected: watch=true, or no watch parameter)");
            }
        }
        return URI.create(text + (query.isEmpty() ? "" : "&") + "watch=true");
    }
}
