package io.ssewatch.fdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.apple.foundationdb.FDBException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FailureLogTest {

    private final FailureLog log = new FailureLog(LoggerFactory.getLogger(FailureLogTest.class),
            "follower of volumes");

    @Test
    void failed_logsEachCodeOnceInARow() {
        assertThat(log.failed(new FDBException("too old", 1007), 0)).isTrue();
        assertThat(log.failed(new CompletionException(new FDBException("too old", 1007)), 1))
                .isFalse();
        assertThat(log.failed(new FDBException("future", 1009), 2)).isTrue();
        assertThat(log.failed(new FDBException("too old", 1007), 3)).isTrue();
        assertThat(log.failures()).isEqualTo(4);
    }

    @Test
    void succeeded_endsRunOnce() {
        log.failed(new FDBException("too old", 1007), 100);

        assertThat(log.failingForNanos(250)).isEqualTo(150);
        assertThat(log.succeeded(300)).isTrue();
        assertThat(log.succeeded(400)).isFalse();
        assertThat(log.failingForNanos(500)).isZero();
        assertThat(log.failed(new FDBException("too old", 1007), 600)).isTrue();
    }
}
