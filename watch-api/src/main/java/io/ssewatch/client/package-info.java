/**
 * A Java client for sse-watch endpoints: {@link io.ssewatch.client.WatchClient} keeps a local
 * cache of a watched collection or resource and reports every change to a
 * {@link io.ssewatch.client.WatchListener}.
 *
 * <p>The client is part of {@code watch-api}, so using it needs no other artifact. It is
 * built on the JDK's {@code java.net.http.HttpClient}, Jackson and SLF4J, which
 * {@code watch-api} depends on already, and adds no dependency. Every other class in this
 * package is an implementation detail.
 */
package io.ssewatch.client;
