package io.modelmaestro.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One kept-alive HTTP/1.1 connection with at most one request in flight. All methods except {@link #call} must run on
 * the connection's event loop; results are delivered there too, so per-connection state needs no locks.
 */
public final class HttpConn {

    private final Channel channel;
    private final Endpoint endpoint;
    private @Nullable Exchange current;
    private @Nullable Consumer<Exchange> done;
    private @Nullable ScheduledFuture<?> timeout;
    private boolean reusable = true;

    HttpConn(Channel channel, Endpoint endpoint) {
        this.channel = channel;
        this.endpoint = endpoint;
        channel.pipeline().addLast(new Handler());
    }

    public EventLoop loop() {
        return channel.eventLoop();
    }

    /** Open, idle-capable and not told to close by the server. */
    public boolean usable() {
        return reusable && channel.isActive();
    }

    public boolean busy() {
        return current != null;
    }

    public void close() {
        channel.close();
    }

    /**
     * Sends {@code request} now (on the event loop), measuring from {@code intendedNs}; {@code onDone} gets the
     * exchange when the answer has ended, failed or timed out.
     */
    public void send(Request request, long intendedNs, long timeoutNs, boolean keepText, Consumer<Exchange> onDone) {
        Exchange ex = new Exchange(request, intendedNs, keepText);
        if (current != null) {
            throw new IllegalStateException("one request at a time per connection");
        }
        if (!usable()) {
            ex.sentNs = System.nanoTime();
            ex.endNs = ex.sentNs;
            ex.error = "connection closed";
            onDone.accept(ex);
            return;
        }
        current = ex;
        done = onDone;
        DefaultFullHttpRequest req = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1,
                HttpMethod.valueOf(request.method()),
                request.path(),
                request.body().length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(request.body()));
        HttpHeaders h = req.headers();
        h.set(HttpHeaderNames.HOST, endpoint.hostHeader());
        if (request.body().length > 0) {
            h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        }
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, request.body().length);
        // Not "application/json": the gateway's catch-all 404 route wins over the chat route for that Accept value
        // (reported with the benchmark results); "*/*" is what curl and most HTTP clients send.
        h.set(HttpHeaderNames.ACCEPT, request.streaming() ? "text/event-stream" : "*/*");
        for (Map.Entry<String, String> e : request.headers()) {
            h.set(e.getKey(), e.getValue());
        }
        timeout = channel.eventLoop().schedule(() -> fail("timeout"), timeoutNs, TimeUnit.NANOSECONDS);
        ex.sentNs = System.nanoTime();
        channel.writeAndFlush(req).addListener(f -> {
            if (!f.isSuccess()) {
                fail("write failed: " + f.cause());
            }
        });
    }

    /** Sends from any thread and waits on the future; the times are still taken on the event loop. */
    public CompletableFuture<Exchange> call(Request request, long timeoutNs, boolean keepText) {
        CompletableFuture<Exchange> f = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            try {
                send(request, System.nanoTime(), timeoutNs, keepText, f::complete);
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private void fail(String error) {
        Exchange ex = current;
        if (ex == null) {
            return;
        }
        ex.error = error;
        reusable = false;
        channel.close();
        finish(System.nanoTime());
    }

    private void finish(long now) {
        Exchange ex = current;
        Consumer<Exchange> cb = done;
        current = null;
        done = null;
        ScheduledFuture<?> t = timeout;
        if (t != null) {
            t.cancel(false);
            timeout = null;
        }
        if (ex != null && cb != null) {
            ex.endNs = now;
            cb.accept(ex);
        }
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            long now = System.nanoTime();
            try {
                Exchange ex = current;
                if (ex == null) {
                    return;
                }
                if (msg instanceof HttpResponse res) {
                    ex.headNs = now;
                    ex.status = res.status().code();
                    if (!HttpUtil.isKeepAlive(res)) {
                        reusable = false;
                    }
                }
                if (msg instanceof HttpContent content) {
                    ByteBuf data = content.content();
                    ex.bodyBytes += data.readableBytes();
                    FrameScanner frames = ex.frames;
                    if (frames != null && ex.status == 200 && data.isReadable()) {
                        frames.feed(data, now);
                    }
                    if (msg instanceof LastHttpContent) {
                        finish(now);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            reusable = false;
            if (current != null) {
                current.error = "connection closed by the server";
                finish(System.nanoTime());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            reusable = false;
            if (current != null) {
                current.error = "error: " + cause;
                finish(System.nanoTime());
            }
            ctx.close();
        }
    }
}
