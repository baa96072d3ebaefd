package io.ssewatch.fdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.apple.foundationdb.FDBException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ErrorCodesTest {

    @Test
    void codeOf_looksThroughWrappers() {
        FDBException error = new FDBException("unknown result", 1021);

        assertThat(ErrorCodes.codeOf(error)).isEqualTo(1021);
        assertThat(ErrorCodes.codeOf(new CompletionException(
                new ExecutionException(error)))).isEqualTo(1021);
        assertThat(ErrorCodes.codeOf(new IllegalStateException())).isEqualTo(ErrorCodes.NOT_FDB);
    }

    @Test
    void isMaybeCommitted_onlyUncertainCommits() {
        assertThat(ErrorCodes.isMaybeCommitted(1021)).isTrue();
        assertThat(ErrorCodes.isMaybeCommitted(1039)).isTrue();
        assertThat(ErrorCodes.isMaybeCommitted(1020)).isFalse();
        assertThat(ErrorCodes.isMaybeCommitted(1007)).isFalse();
    }

    @Test
    void describe_namesCode() {
        assertThat(ErrorCodes.describe(new FDBException("x", 1032)))
                .isEqualTo("too_many_watches (1032)");
        assertThat(ErrorCodes.describe(new FDBException("x", 4242))).isEqualTo("error (4242)");
        assertThat(ErrorCodes.describe(new IllegalStateException("boom")))
                .isEqualTo("IllegalStateException: boom");
    }
}
