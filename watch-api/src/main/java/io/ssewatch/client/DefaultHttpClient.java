package io.ssewatch.client;

import java.net.http.HttpClient;

/**
 * The {@link HttpClient} of every watch client that was not given one: created on first use,
 * shared for the life of the JVM, like the JDK intends an HttpClient to be.
 *
 * <p>It speaks HTTP/1.1, so each open stream has its own TCP connection, which
 * {@link WatchClient#close()} closes. It follows redirects except from https to http. Its
 * executor runs tasks on the calling thread, so it starts no thread pool: its only thread is
 * the JDK's selector thread (a daemon). That is safe because the watch client's callbacks on
 * that thread only hand work to the watch client's own thread.
 */
final class DefaultHttpClient {

    private DefaultHttpClient() {
    }

    static HttpClient get() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final HttpClient INSTANCE = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .executor(Runnable::run)
                .build();
    }
}
