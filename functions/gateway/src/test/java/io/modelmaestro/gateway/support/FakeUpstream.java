package io.modelmaestro.gateway.support;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A scriptable upstream that speaks HTTP/1.1 on loopback, byte for byte what a test tells it to: JSON bodies, SSE or
 * NDJSON streams written and flushed chunk by chunk with delays, error statuses, and mid-stream disconnects. It
 * records every request and notices when the gateway hangs up on a stream (a write fails), which is how tests observe
 * that a client disconnect cancelled the upstream call.
 */
public final class FakeUpstream implements AutoCloseable {

    /** One recorded request. */
    public record Recorded(String method, String path, Map<String, String> headers, String body) {}

    /** What to answer. {@code chunks} are written one by one with {@code interval} between them. */
    public record Reply(
            int status,
            String contentType,
            Map<String, String> headers,
            List<String> chunks,
            Duration firstDelay,
            Duration interval,
            boolean abortAfterChunks) {

        public static Reply json(int status, String body) {
            return new Reply(status, "application/json", Map.of(), List.of(body), Duration.ZERO, Duration.ZERO, false);
        }

        public static Reply sse(List<String> frames, Duration interval) {
            return new Reply(200, "text/event-stream", Map.of(), frames, Duration.ZERO, interval, false);
        }

        public Reply withHeaders(Map<String, String> extra) {
            return new Reply(status, contentType, extra, chunks, firstDelay, interval, abortAfterChunks);
        }

        public Reply withFirstDelay(Duration delay) {
            return new Reply(status, contentType, headers, chunks, delay, interval, abortAfterChunks);
        }

        /** Writes the chunks, then drops the connection without finishing the chunked body. */
        public Reply thenAbort() {
            return new Reply(status, contentType, headers, chunks, firstDelay, interval, true);
        }
    }

    private final ServerSocket server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Function<Recorded, Reply>> routes = new ConcurrentHashMap<>();
    private volatile CountDownLatch disconnected = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile boolean down;
    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

    public FakeUpstream() {
        try {
            server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread.ofVirtual().name("fake-upstream-accept").start(this::acceptLoop);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public FakeUpstream on(String method, String path, Function<Recorded, Reply> handler) {
        routes.put(method + " " + path, handler);
        return this;
    }

    public FakeUpstream on(String method, String path, Reply reply) {
        return on(method, path, r -> reply);
    }

    /**
     * A node that is down: while set, every connection is accepted and closed at once, before any byte is read or
     * written (the client sees the connection reset or closed), and nothing is recorded.
     */
    public void setDown(boolean down) {
        this.down = down;
    }

    /** Connections accepted and dropped while the node was down: how often something still tried to reach it. */
    public int refusedConnections() {
        return refused.get();
    }

    public List<Recorded> requests() {
        return new ArrayList<>(requests);
    }

    public List<Recorded> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    public void reset() {
        requests.clear();
        routes.clear();
        disconnected = new CountDownLatch(1);
    }

    /** True once the gateway closed a stream this upstream was still writing. */
    public boolean awaitDisconnect(Duration timeout) throws InterruptedException {
        return disconnected.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** One request per connection (the reply says Connection: close), HTTP/1.1, fixed-length or chunked. */
    private void serve(Socket socket) {
        try (socket) {
            if (down) {
                refused.incrementAndGet();
                socket.setSoLinger(true, 0); // RST instead of FIN: a dead peer, not an empty answer
                return;
            }
            socket.setTcpNoDelay(true);
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
            String requestLine = readLine(in);
            if (requestLine == null || requestLine.isEmpty()) {
                return;
            }
            String[] parts = requestLine.split(" ");
            Map<String, String> headers = new ConcurrentHashMap<>();
            String line;
            while ((line = readLine(in)) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(
                            line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).strip());
                }
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            String path = parts[1].contains("?") ? parts[1].substring(0, parts[1].indexOf('?')) : parts[1];
            Recorded recorded = new Recorded(parts[0], path, headers, new String(body, StandardCharsets.UTF_8));
            requests.add(recorded);
            Function<Recorded, Reply> handler = routes.get(recorded.method() + " " + recorded.path());
            Reply reply = handler == null
                    ? Reply.json(404, "{\"error\":{\"message\":\"no route " + recorded.path() + "\"}}")
                    : handler.apply(recorded);
            write(socket.getOutputStream(), reply);
        } catch (IOException e) {
            disconnected.countDown();
        }
    }

    private static void write(OutputStream out, Reply reply) throws IOException {
        sleep(reply.firstDelay());
        StringBuilder head = new StringBuilder("HTTP/1.1 " + reply.status() + " X\r\n");
        head.append("Content-Type: ").append(reply.contentType()).append("\r\n");
        head.append("Connection: close\r\n");
        reply.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        boolean streaming = reply.contentType().contains("event-stream")
                || reply.contentType().contains("ndjson")
                || reply.chunks().size() > 1;
        if (!streaming) {
            byte[] bytes = String.join("", reply.chunks()).getBytes(StandardCharsets.UTF_8);
            head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
            return;
        }
        head.append("Transfer-Encoding: chunked\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        for (int i = 0; i < reply.chunks().size(); i++) {
            if (i > 0) {
                sleep(reply.interval());
            }
            byte[] bytes = reply.chunks().get(i).getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        if (reply.abortAfterChunks()) {
            return; // the socket closes without the terminating chunk: a truncated response
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(BufferedInputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return b == -1 && sb.isEmpty() ? null : sb.toString();
    }

    private static void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
