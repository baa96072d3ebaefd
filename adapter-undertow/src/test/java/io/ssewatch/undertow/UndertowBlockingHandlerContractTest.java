package io.ssewatch.undertow;

import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.BlockingHandler;

/**
 * The Undertow adapter against the adapter contract behind a {@link BlockingHandler}. Hosts
 * whose handlers block often put one in front of everything. The adapter then starts on a
 * worker thread with a blocking exchange, and must still write without blocking.
 */
class UndertowBlockingHandlerContractTest extends UndertowAdapterContractTest {

    @Override
    protected HttpHandler wrap(WatchHandler watchHandler) {
        return new BlockingHandler(watchHandler);
    }
}
