package io.ssewatch.fdb.fake;

import java.util.concurrent.CompletableFuture;

/** A watch of the fake database: fires when the key's value differs from {@link #value}. */
final class FakeWatch extends CompletableFuture<Void> {

    final byte[] key;
    final byte[] value;
    private final FakeDatabase db;
    volatile boolean registered;

    FakeWatch(FakeDatabase db, byte[] key, byte[] value) {
        this.db = db;
        this.key = key;
        this.value = value;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        db.unregister(this);
        return super.cancel(mayInterruptIfRunning);
    }
}
