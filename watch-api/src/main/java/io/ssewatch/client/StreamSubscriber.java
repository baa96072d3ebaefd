package io.ssewatch.client;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Receives the body of a {@code text/event-stream} response and passes every signal on. Its
 * body completes at once, so {@code sendAsync} completes when the headers arrive while the
 * stream goes on.
 */
final class StreamSubscriber implements HttpResponse.BodySubscriber<Void> {

    /** Receives the signals of the body, on the HttpClient's threads. */
    interface Callbacks {
        void opened(Flow.Subscription subscription);

        void received(List<ByteBuffer> chunk);

        void failed(Throwable error);

        void ended();
    }

    private final Callbacks callbacks;

    StreamSubscriber(Callbacks callbacks) {
        this.callbacks = callbacks;
    }

    @Override
    public CompletionStage<Void> getBody() {
        return CompletableFuture.completedStage(null);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        callbacks.opened(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> chunk) {
        callbacks.received(chunk);
    }

    @Override
    public void onError(Throwable error) {
        callbacks.failed(error);
    }

    @Override
    public void onComplete() {
        callbacks.ended();
    }
}
