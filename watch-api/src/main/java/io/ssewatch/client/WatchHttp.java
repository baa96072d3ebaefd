package io.ssewatch.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.Supplier;

/** Builds watch requests, and reads the response headers that decide how to handle them. */
final class WatchHttp {

    private WatchHttp() {
    }

    /**
     * Builds the request of one connection attempt and calls the header supplier for it.
     *
     * @param cursor the {@code Last-Event-ID} to send, or empty to send none
     * @throws IOException when the supplier throws or returns a header that java.net.http
     *     rejects, such as {@code Host}
     */
    static HttpRequest newRequest(URI uri, Supplier<? extends Map<String, String>> headers,
            String cursor, String target) throws IOException {
        Map<String, String> supplied;
        try {
            supplied = headers.get();
        } catch (RuntimeException e) {
            throw new IOException("header supplier for " + target + " threw " + e, e);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET()
                .header("Accept", "text/event-stream")
                .header("Cache-Control", "no-cache");
        if (supplied != null) {
            for (Map.Entry<String, String> header : supplied.entrySet()) {
                try {
                    builder.setHeader(header.getKey(), header.getValue());
                } catch (IllegalArgumentException e) {
                    throw new IOException("header supplier for " + target + " returned header \""
                            + header.getKey() + "\", which java.net.http rejects: "
                            + e.getMessage() + " (expected: an ordinary request header)", e);
                }
            }
        }
        if (!cursor.isEmpty()) {
            builder.setHeader("Last-Event-ID", cursor);
        }
        return builder.build();
    }

    /** Returns whether the media type of {@code Content-Type} is {@code text/event-stream}. */
    static boolean isEventStream(HttpHeaders headers) {
        return headers.firstValue("Content-Type")
                .map(value -> value.split(";", 2)[0].trim())
                .filter(type -> type.equalsIgnoreCase("text/event-stream"))
                .isPresent();
    }

    /**
     * Returns {@code Retry-After}, given in seconds or as an HTTP date, in milliseconds from
     * now; -1 when the header is missing or invalid.
     */
    static long retryAfterMillis(HttpHeaders headers) {
        String value = headers.firstValue("Retry-After").orElse("").trim();
        if (value.isEmpty()) {
            return -1;
        }
        if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // More than 12 digits is over 30,000 years; saturate instead of overflowing.
            return value.length() > 12 ? Long.MAX_VALUE / 2 : Long.parseLong(value) * 1000;
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis());
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
