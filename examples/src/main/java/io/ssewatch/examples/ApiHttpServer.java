package io.ssewatch.examples;

import io.ssewatch.api.WatchService;

/**
 * The HTTP server that serves {@link ControlPlaneApi} and, in front of it, the watch routes of
 * a {@link WatchService}: {@link JettyApiServer} or {@link UndertowApiServer}, picked by
 * {@code --adapter}. Both listen on one HTTP/1.1 port and return from their start method once
 * they accept connections.
 */
interface ApiHttpServer {

    /** Returns the port the server listens on, which is the chosen one when started with 0. */
    int port();

    /**
     * Stops accepting requests, waits up to {@link ExampleServer#STOP_TIMEOUT} for open
     * requests to complete, then closes every connection. Call it after closing the watch
     * service, so that open streams can write their {@code unavailable} event in that time.
     * Logs what fails instead of throwing.
     */
    void stop();
}
