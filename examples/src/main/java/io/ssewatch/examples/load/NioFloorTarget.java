package io.ssewatch.examples.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The floor: a minimal NIO server that encodes each change once, as an HTTP/1.1 chunk of an
 * SSE event, and writes those same bytes to every connected socket.
 *
 * <p>It does what a watch server cannot avoid (one non-blocking socket write per watcher and
 * event) and nothing else: no routing, no per-watch scope, no bound on a slow socket's
 * queue, no pings.
 * Events that arrive while a writer is busy go out together, in one gathering write per
 * socket, as sse-watch joins queued frames into one write. Sockets are spread over as many
 * writer threads as sse-watch's writer pool has (the number of
 * cores, at least 2). Each writer sends a new socket its snapshot, an empty list at the last
 * change the writer has sent, then every later change, so no change is lost or repeated.
 */
final class NioFloorTarget implements LoadTarget {

    private static final byte[] HEAD = ("HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/event-stream; charset=utf-8\r\n"
            + "Cache-Control: no-store\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final List<Writer> writers = new ArrayList<>();
    private ServerSocketChannel listener;
    private Thread acceptor;
    private volatile boolean closed;
    private int eventBytes;
    private long revision;

    @Override
    public void start(LoadOptions options) throws IOException {
        eventBytes = options.eventBytes();
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()),
                4096);
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        for (int i = 0; i < threads; i++) {
            writers.add(new Writer(i + 1));
        }
        acceptor = new Thread(this::accept, "nio-floor-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        int next = 0;
        while (!closed) {
            try {
                SocketChannel channel = listener.accept();
                channel.configureBlocking(false);
                writers.get(next++ % writers.size()).adopt(channel);
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.socket().getLocalSocketAddress();
    }

    @Override
    public String watchPath() {
        return "/floor/?watch=true";
    }

    @Override
    public boolean contiguousIds() {
        return true;
    }

    @Override
    public long nextChangeId() {
        return revision + 1;
    }

    @Override
    public long change(int index, long commitMicros) {
        long id = ++revision;
        byte[] data = Payloads.bodyBytes(index, commitMicros, eventBytes);
        ByteBuffer chunk = chunk("event: updated\nid: " + id + "-00000000\ndata: ", data);
        for (Writer writer : writers) {
            writer.publish(new Event(id, chunk));
        }
        return id;
    }

    /** Encodes one SSE frame as one HTTP/1.1 chunk. */
    static ByteBuffer chunk(String head, byte[] data) {
        byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
        int size = headBytes.length + data.length + 2;
        byte[] prefix = (Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.allocate(prefix.length + size + 2);
        buffer.put(prefix).put(headBytes).put(data).put((byte) '\n').put((byte) '\n');
        buffer.put((byte) '\r').put((byte) '\n').flip();
        return buffer.asReadOnlyBuffer();
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (listener != null) {
                listener.close();
            }
        } catch (IOException e) {
            // Nothing is left to release.
        }
        writers.forEach(Writer::close);
    }

    private record Event(long id, ByteBuffer chunk) {
    }

    /** One writer thread and the sockets it serves. */
    private final class Writer implements Runnable {
        private final Selector selector;
        private final Thread thread;
        private final Queue<SocketChannel> adopted = new ConcurrentLinkedQueue<>();
        private final Queue<Event> events = new ConcurrentLinkedQueue<>();
        private final List<Connection> started = new ArrayList<>();
        private long sentThrough;

        Writer(int number) throws IOException {
            selector = Selector.open();
            thread = new Thread(this, "nio-floor-writer-" + number);
            thread.setDaemon(true);
            thread.start();
        }

        void adopt(SocketChannel channel) {
            adopted.add(channel);
            selector.wakeup();
        }

        void publish(Event event) {
            events.add(event);
            selector.wakeup();
        }

        @Override
        public void run() {
            while (!closed) {
                try {
                    selector.select();
                    SocketChannel channel;
                    while ((channel = adopted.poll()) != null) {
                        channel.register(selector, SelectionKey.OP_READ, new Connection(channel));
                    }
                    for (SelectionKey key : selector.selectedKeys()) {
                        handle(key);
                    }
                    selector.selectedKeys().clear();
                    List<Event> batch = new ArrayList<>();
                    Event event;
                    while ((event = events.poll()) != null) {
                        batch.add(event);
                    }
                    if (!batch.isEmpty()) {
                        broadcast(batch);
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void handle(SelectionKey key) {
            Connection connection = (Connection) key.attachment();
            try {
                if (!key.isValid()) {
                    return;
                }
                if (key.isReadable()) {
                    connection.read(key);
                }
                if (key.isValid() && key.isWritable()) {
                    connection.flush(key);
                }
            } catch (IOException e) {
                connection.close(key);
            }
        }

        /** Sends the events that arrived since the last round, with one write per socket. */
        private void broadcast(List<Event> batch) {
            sentThrough = batch.get(batch.size() - 1).id();
            for (int i = started.size() - 1; i >= 0; i--) {
                Connection connection = started.get(i);
                if (connection.closed) {
                    started.set(i, started.get(started.size() - 1));
                    started.remove(started.size() - 1);
                    continue;
                }
                ByteBuffer[] buffers = new ByteBuffer[batch.size()];
                for (int j = 0; j < buffers.length; j++) {
                    buffers[j] = batch.get(j).chunk().duplicate();
                }
                connection.send(buffers);
            }
        }

        void close() {
            selector.wakeup();
            try {
                thread.join(2_000);
                for (SelectionKey key : selector.keys()) {
                    key.channel().close();
                }
                selector.close();
            } catch (IOException | InterruptedException e) {
                // Shutting down at the end of a run; nothing else holds these sockets.
            }
        }

        /** One socket: reads the request once, then only writes. */
        private final class Connection {
            private final SocketChannel channel;
            private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
            private final ByteBuffer request = ByteBuffer.allocate(1024);
            private boolean closed;
            private boolean responded;

            Connection(SocketChannel channel) {
                this.channel = channel;
            }

            void read(SelectionKey key) throws IOException {
                if (!request.hasRemaining()) {
                    request.clear();
                }
                int n = channel.read(request);
                if (n < 0) {
                    close(key);
                    return;
                }
                if (!responded && endsHeaders()) {
                    responded = true;
                    ByteBuffer snapshot = chunk("event: snapshot\nid: " + sentThrough
                            + "-00000000\nretry: 3000\ndata: ",
                            "[]".getBytes(StandardCharsets.US_ASCII));
                    send(ByteBuffer.wrap(HEAD), snapshot);
                    started.add(this);
                }
            }

            private boolean endsHeaders() {
                int end = request.position();
                return end >= 4 && request.get(end - 4) == '\r' && request.get(end - 3) == '\n'
                        && request.get(end - 2) == '\r' && request.get(end - 1) == '\n';
            }

            void send(ByteBuffer... buffers) {
                if (closed) {
                    return;
                }
                if (pending.isEmpty()) {
                    try {
                        channel.write(buffers);
                    } catch (IOException e) {
                        close(channel.keyFor(selector));
                        return;
                    }
                }
                boolean wasEmpty = pending.isEmpty();
                for (ByteBuffer buffer : buffers) {
                    if (buffer.hasRemaining()) {
                        pending.add(buffer);
                    }
                }
                if (wasEmpty && !pending.isEmpty()) {
                    SelectionKey key = channel.keyFor(selector);
                    key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
                }
            }

            void flush(SelectionKey key) throws IOException {
                while (!pending.isEmpty()) {
                    ByteBuffer head = pending.peekFirst();
                    channel.write(head);
                    if (head.hasRemaining()) {
                        return;
                    }
                    pending.pollFirst();
                }
                key.interestOps(SelectionKey.OP_READ);
            }

            void close(SelectionKey key) {
                closed = true;
                pending.clear();
                if (key != null) {
                    key.cancel();
                }
                try {
                    channel.close();
                } catch (IOException e) {
                    // The socket is gone either way.
                }
            }
        }
    }

    /** Registers this target as {@code nio-floor}. */
    public static final class Factory implements LoadTarget.Factory {
        @Override
        public String name() {
            return "nio-floor";
        }

        @Override
        public LoadTarget create() {
            return new NioFloorTarget();
        }
    }
}
