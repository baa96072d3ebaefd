/**
 * The client's WHATWG {@code text/event-stream} parser and streaming UTF-8 decoder. Public
 * so that tests and tools in other packages can parse streams, but not a stable API.
 */
package io.ssewatch.client.internal;
