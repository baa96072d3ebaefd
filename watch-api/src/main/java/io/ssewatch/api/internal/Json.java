package io.ssewatch.api.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;

/** Small JSON helpers for error bodies. */
public final class Json {

    private Json() {
    }

    /** Returns {@code value} as a quoted JSON string. */
    public static String quote(String value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }

    /** Returns the body {@code {"detail": "..."}} as UTF-8. */
    public static byte[] detail(String message) {
        return ("{\"detail\":" + quote(message) + "}").getBytes(StandardCharsets.UTF_8);
    }
}
