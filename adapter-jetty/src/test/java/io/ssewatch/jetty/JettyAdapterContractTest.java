package io.ssewatch.jetty;

import io.ssewatch.api.WatchService;
import io.ssewatch.testing.AdapterContract;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/** The Jetty adapter against the adapter contract, over HTTP/1.1 on an ephemeral port. */
class JettyAdapterContractTest extends AdapterContract {

    @Override
    protected TestServer startServer(WatchService service, Duration idleTimeout)
            throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(idleTimeout.toMillis());
        server.addConnector(connector);
        server.setHandler(new WatchHandler(service, new PlainHandler()));
        server.start();
        int port = connector.getLocalPort();
        return new TestServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() throws Exception {
                server.stop();
            }
        };
    }

    /** Responds to every request with "plain METHOD PATH". */
    private static final class PlainHandler extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            response.getHeaders().put("Content-Type", "text/plain");
            String text = "plain " + request.getMethod() + " " + request.getHttpURI().getPath();
            response.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
    }
}
