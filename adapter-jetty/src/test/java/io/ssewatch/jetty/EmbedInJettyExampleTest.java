package io.ssewatch.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssewatch.testing.SseTestClient;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.DefaultHandler;
import org.junit.jupiter.api.Test;

class EmbedInJettyExampleTest {

    @Test
    void readmeExampleServesWatches() throws Exception {
        Server server = EmbedInJettyExample.start(new DefaultHandler(), 0);
        try {
            int port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();

            try (SseTestClient missingPool = SseTestClient.get(port,
                    "/api/v2/pools/p1/volumes/?watch=true")) {
                assertThat(missingPool.status()).isEqualTo(404);
            }
            try (SseTestClient plain = SseTestClient.get(port, "/api/v2/pools/p1/volumes/")) {
                assertThat(plain.status()).as("passed to the existing handler").isEqualTo(404);
                assertThat(plain.body()).doesNotContain("\"detail\"");
            }
        } finally {
            server.stop();
        }
    }
}
