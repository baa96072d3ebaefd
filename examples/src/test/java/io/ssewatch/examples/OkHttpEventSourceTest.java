package io.ssewatch.examples;

import com.launchdarkly.eventsource.EventSource;
import com.launchdarkly.eventsource.MessageEvent;
import com.launchdarkly.eventsource.background.BackgroundEventHandler;
import com.launchdarkly.eventsource.background.BackgroundEventSource;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Watches the example server with LaunchDarkly's okhttp-eventsource client. */
class OkHttpEventSourceTest {

    private ExampleServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void okhttpEventSource_receivesChangesAndResumes() throws Exception {
        server = ExampleServer.start(ServerOptions.defaults().withPort(0));
        URI uri = server.baseUri().resolve(RestClient.volumesPath(server.seed()) + "?watch=true");
        ClientEvents events = new ClientEvents();

        try (BackgroundEventSource source = new BackgroundEventSource.Builder(
                new Recorder(events), new EventSource.Builder(uri)).build()) {
            source.start();
            events.runScenario(server);
        }
    }

    private record Recorder(ClientEvents events) implements BackgroundEventHandler {
        @Override
        public void onOpen() {
            events.connection("open");
        }

        @Override
        public void onClosed() {
            events.connection("closed");
        }

        @Override
        public void onMessage(String event, MessageEvent message) {
            events.event(event, message.getLastEventId(), message.getData());
        }

        @Override
        public void onComment(String comment) {
        }

        @Override
        public void onError(Throwable error) {
            events.connection("error: " + error);
        }
    }
}
