package io.ssewatch.examples.httpserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ssewatch.api.WatchService;
import io.ssewatch.testing.AdapterContract;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK server adapter against the adapter contract, over HTTP/1.1 on an ephemeral port.
 * The JDK server has no timeout that acts on an open response by default, so the contract's
 * idle timeout is not applied.
 */
class JdkHttpServerContractTest extends AdapterContract {

    // tag::startServer[]
    @Override
    protected TestServer startServer(WatchService service, Duration idleTimeout)
            throws IOException {
        HttpServer server = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        WatchHttpHandler handler = new WatchHttpHandler(service, JdkHttpServerContractTest::plain);
        ExecutorService requests = Executors.newCachedThreadPool();
        server.createContext("/", handler);
        server.setExecutor(requests);
        server.start();
        int port = server.getAddress().getPort();
        return new TestServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
                server.stop(0);
                handler.close();
                requests.shutdownNow();
            }
        };
    }
    // end::startServer[]

    /** Returns "plain METHOD PATH" for every request. */
    private static void plain(HttpExchange exchange) throws IOException {
        byte[] body = ("plain " + exchange.getRequestMethod() + " "
                + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
