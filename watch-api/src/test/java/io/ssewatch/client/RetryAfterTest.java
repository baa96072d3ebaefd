package io.ssewatch.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static long retryAfter(String value) {
        HttpHeaders headers = HttpHeaders.of(Map.of("Retry-After", List.of(value)), (a, b) -> true);
        return WatchEngine.retryAfterMillis(headers);
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
        assertThat(WatchEngine.retryAfterMillis(HttpHeaders.of(Map.of(), (a, b) -> true)))
                .isEqualTo(-1);
        assertThat(retryAfter("soon")).isEqualTo(-1);
        assertThat(retryAfter("-5")).isEqualTo(-1);
    }
}
