package io.ssewatch.api.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Reads parameters from a raw, percent-encoded query string. */
final class QueryString {

    private QueryString() {
    }

    /**
     * Returns the decoded value of the first parameter named {@code name}, the empty string for
     * a parameter without {@code =}, or {@code null} when absent. A value that is not valid
     * percent-encoding is returned as received, so that validation reports it.
     */
    static String first(String rawQuery, String name) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (name.equals(key)) {
                return eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
