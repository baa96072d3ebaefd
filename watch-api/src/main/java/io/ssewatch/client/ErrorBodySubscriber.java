package io.ssewatch.client;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * Reads the body of a response that is not an event stream, such as a 404 with
 * {@code {"detail": "..."}}, up to {@link #MAX_BYTES}, and hands it on once. A longer body is
 * cut there; a body that fails midway is handed on as far as it arrived.
 */
final class ErrorBodySubscriber implements HttpResponse.BodySubscriber<Void> {

    /** Error bodies are short JSON messages; this bounds the memory a wrong URL can cost. */
    static final int MAX_BYTES = 64 * 1024;

    private final Consumer<Flow.Subscription> onSubscribe;
    private final Consumer<byte[]> onBody;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private Flow.Subscription subscription;

    /**
     * @param onSubscribe receives the subscription, so that the owner can cancel it
     * @param onBody receives the bytes read, exactly once
     */
    ErrorBodySubscriber(Consumer<Flow.Subscription> onSubscribe, Consumer<byte[]> onBody) {
        this.onSubscribe = onSubscribe;
        this.onBody = onBody;
    }

    @Override
    public CompletionStage<Void> getBody() {
        return done;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        onSubscribe.accept(subscription);
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> chunk) {
        for (ByteBuffer buffer : chunk) {
            int length = Math.min(buffer.remaining(), MAX_BYTES - body.size());
            byte[] bytes = new byte[length];
            buffer.get(bytes);
            body.writeBytes(bytes);
        }
        if (body.size() >= MAX_BYTES) {
            subscription.cancel();
            finish();
        }
    }

    @Override
    public void onError(Throwable error) {
        finish();
    }

    @Override
    public void onComplete() {
        finish();
    }

    private void finish() {
        if (done.complete(null)) {
            onBody.accept(body.toByteArray());
        }
    }
}
