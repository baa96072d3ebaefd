package io.ssewatch.api;

import java.time.Duration;

/** The bound of every wait in these tests. */
final class SseTestWait {

    static final Duration WAIT = Duration.ofSeconds(10);

    private SseTestWait() {
    }
}
