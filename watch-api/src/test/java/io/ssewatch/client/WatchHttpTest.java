package io.ssewatch.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchHttpTest {

    private static long retryAfter(String value) {
        return WatchHttp.retryAfterMillis(headers("Retry-After", value));
    }

    private static final URI ENDPOINT = URI.create("http://h/v/?watch=true");

    @Test
    void newRequest_setsStreamHeadersAndCursor() throws IOException {
        HttpRequest request = WatchHttp.newRequest(ENDPOINT,
                () -> Map.of("Authorization", "Bearer t"), "r7", "http://h/v/");

        assertThat(request.headers().firstValue("Accept")).contains("text/event-stream");
        assertThat(request.headers().firstValue("Last-Event-ID")).contains("r7");
        assertThat(request.headers().firstValue("Authorization")).contains("Bearer t");
    }

    @Test
    void newRequest_emptyCursorSendsNone() throws IOException {
        HttpRequest request = WatchHttp.newRequest(ENDPOINT, () -> null, "", "http://h/v/");

        assertThat(request.headers().firstValue("Last-Event-ID")).isEmpty();
    }

    @Test
    void newRequest_supplierFailureIsIoException() {
        assertThatThrownBy(() -> WatchHttp.newRequest(ENDPOINT, () -> {
            throw new IllegalStateException("token store down");
        }, "", "http://h/v/"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("token store down");
        assertThatThrownBy(() -> WatchHttp.newRequest(ENDPOINT, () -> Map.of("Host", "x"), "",
                "http://h/v/"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("\"Host\"");
    }

    @Test
    void eventStream_mediaTypeMatchedWithoutParameters() {
        assertThat(WatchHttp.isEventStream(headers("Content-Type", "text/event-stream"))).isTrue();
        HttpHeaders withCharset = headers("Content-Type", "Text/Event-Stream; charset=utf-8");
        assertThat(WatchHttp.isEventStream(withCharset)).isTrue();
        assertThat(WatchHttp.isEventStream(headers("Content-Type", "application/json"))).isFalse();
        assertThat(WatchHttp.isEventStream(HttpHeaders.of(Map.of(), (a, b) -> true))).isFalse();
    }

    private static HttpHeaders headers(String name, String value) {
        return HttpHeaders.of(Map.of(name, List.of(value)), (a, b) -> true);
    }

    @Test
    void seconds_convertedToMillis() {
        assertThat(retryAfter("0")).isZero();
        assertThat(retryAfter(" 7 ")).isEqualTo(7000);
        assertThat(retryAfter("99999999999999999999")).as("saturates").isPositive();
    }

    @Test
    void httpDate_convertedToDelayFromNow() {
        String inOneMinute = DateTimeFormatter.RFC_1123_DATE_TIME
                .format(ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(1));
        String past = "Wed, 21 Oct 2015 07:28:00 GMT";

        assertThat(retryAfter(inOneMinute)).isBetween(55_000L, 60_000L);
        assertThat(retryAfter(past)).isZero();
    }

    @Test
    void missingOrInvalid_isMinusOne() {
        assertThat(WatchHttp.retryAfterMillis(HttpHeaders.of(Map.of(), (a, b) -> true)))
                .isEqualTo(-1);
        assertThat(retryAfter("soon")).isEqualTo(-1);
        assertThat(retryAfter("-5")).isEqualTo(-1);
    }
}
