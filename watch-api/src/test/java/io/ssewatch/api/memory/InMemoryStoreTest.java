package io.ssewatch.api.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ssewatch.api.ChangeFeed;
import io.ssewatch.api.HistoryExpiredException;
import io.ssewatch.api.InvalidRevisionException;
import io.ssewatch.api.Revision;
import io.ssewatch.api.Store;
import io.ssewatch.api.StoreContract;
import org.junit.jupiter.api.Test;

class InMemoryStoreTest extends StoreContract {

    @Override
    protected Store createStore() {
        return new InMemoryStore();
    }

    @Test
    void tokenOfAnotherStoreIsUnreachable() {
        try (InMemoryStore other = new InMemoryStore()) {
            Revision foreign = other.put("items", "a", body("a", 1));

            assertThat(store.parseRevision(foreign.token())).isEmpty();
        }
    }

    @Test
    void tokenAheadOfStoreIsRejected() {
        Revision current = store.put("items", "a", body("a", 1));
        String epoch = current.token().substring(current.token().indexOf('-'));

        assertThatThrownBy(() -> store.parseRevision("999" + epoch))
                .isInstanceOf(InvalidRevisionException.class)
                .hasMessageContaining("ahead of this server's newest revision");
    }

    @Test
    void followBehindTrimmedLogFailsWithHistoryExpired() throws Exception {
        try (InMemoryStore small = new InMemoryStore(50)) {
            Revision start = small.put("items", "a", body("a", 0));
            for (int i = 1; i <= 60; i++) {
                small.put("items", "a", body("a", i));
            }
            Recorder recorder = new Recorder();

            try (ChangeFeed feed = small.follow("items", start, recorder)) {
                assertThat(recorder.nextFailure()).isInstanceOf(HistoryExpiredException.class);
            }
        }
    }
}
