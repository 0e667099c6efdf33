package io.modelmaestro.bench.mock;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.bench.Transports;
import io.modelmaestro.json.Json;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A fast mock LLM upstream on plain Netty: OpenAI chat completions (JSON and SSE), Anthropic messages (JSON and SSE),
 * Ollama chat and generate (JSON and NDJSON), {@code GET /v1/models}, {@code GET /api/tags}, {@code GET /health} and
 * {@code GET /mock/stats}. Streams are paced by deadline on the event loop's timer: content frame {@code k} goes out at
 * {@code start + ttft + k * interval}, each flushed on its own, so the cadence does not drift with per-frame cost.
 */
public final class MockServer implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel server;
    private final MockSettings defaults;
    private final Counters counters;

    /** What the mock has served, for {@code GET /mock/stats}. */
    static final class Counters {
        final LongAdder requests = new LongAdder();
        final LongAdder streamsStarted = new LongAdder();
        final LongAdder streamsCompleted = new LongAdder();
        final LongAdder streamsCancelled = new LongAdder();

        String json() {
            return "{\"requests\":" + requests.sum() + ",\"streams_started\":" + streamsStarted.sum()
                    + ",\"streams_completed\":" + streamsCompleted.sum() + ",\"streams_cancelled\":"
                    + streamsCancelled.sum() + "}";
        }
    }

    private MockServer(EventLoopGroup group, Channel server, MockSettings defaults, Counters counters) {
        this.group = group;
        this.server = server;
        this.defaults = defaults;
        this.counters = counters;
    }

    /** Starts on {@code host:port} (port 0 picks a free one) with {@code threads} event loops. */
    public static MockServer start(String host, int port, int threads, MockSettings defaults)
            throws InterruptedException {
        EventLoopGroup group = Transports.group(threads, "mock");
        Counters counters = new Counters();
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(Transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(16 * 1024 * 1024))
                                .addLast(new Handler(defaults, counters));
                    }
                });
        Channel ch;
        try {
            ch = b.bind(host, port).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        return new MockServer(group, ch, defaults, counters);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public MockSettings defaults() {
        return defaults;
    }

    public String statsJson() {
        return counters.json();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final MockSettings defaults;
        private final Counters counters;

        Handler(MockSettings defaults, Counters counters) {
            this.defaults = defaults;
            this.counters = counters;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            counters.requests.increment();
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            String uri = req.uri();
            int q = uri.indexOf('?');
            String path = q < 0 ? uri : uri.substring(0, q);
            if (req.method().equals(HttpMethod.GET)) {
                switch (path) {
                    case "/v1/models", "/models" ->
                        json(
                                ctx,
                                keepAlive,
                                200,
                                "{\"object\":\"list\",\"data\":[{\"id\":\"mock-model\","
                                        + "\"object\":\"model\",\"created\":" + MockFormat.CREATED
                                        + ",\"owned_by\":\"mock\"}]}");
                    case "/api/tags" ->
                        json(
                                ctx,
                                keepAlive,
                                200,
                                "{\"models\":[{\"name\":\"mock-model\",\"model\":\"mock-model\","
                                        + "\"modified_at\":\"2024-01-01T00:00:00Z\",\"size\":0,\"digest\":\"0\",\"details\":{}}]}");
                    case "/health", "/" -> json(ctx, keepAlive, 200, "{\"status\":\"ok\"}");
                    case "/mock/stats" -> json(ctx, keepAlive, 200, counters.json());
                    default -> json(ctx, keepAlive, 404, "{\"error\":\"not found: " + MockFormat.esc(path) + "\"}");
                }
                return;
            }
            MockFormat format = switch (path) {
                case "/v1/chat/completions", "/chat/completions" -> MockFormat.OPENAI_CHAT;
                case "/v1/messages" -> MockFormat.ANTHROPIC_MESSAGES;
                case "/api/chat" -> MockFormat.OLLAMA_CHAT;
                case "/api/generate" -> MockFormat.OLLAMA_GENERATE;
                default -> null;
            };
            if (format == null || !req.method().equals(HttpMethod.POST)) {
                json(ctx, keepAlive, 404, "{\"error\":\"not found: " + MockFormat.esc(path) + "\"}");
                return;
            }
            byte[] bodyBytes = new byte[req.content().readableBytes()];
            req.content().readBytes(bodyBytes);
            JsonNode body = Json.tryParse(bodyBytes);
            if (body == null || !body.isObject()) {
                json(ctx, keepAlive, 400, new String(format.error(400), StandardCharsets.UTF_8));
                return;
            }
            MockSettings s;
            try {
                JsonNode knobs = body.path("mock");
                s = defaults.with(
                        name -> req.headers().get(name),
                        field -> knobs.get(field) instanceof JsonNode n && n.canConvertToInt() ? n.intValue() : null);
            } catch (IllegalArgumentException e) {
                json(ctx, keepAlive, 400, "{\"error\":\"" + MockFormat.esc(String.valueOf(e.getMessage())) + "\"}");
                return;
            }
            String model = body.path("model").asText("mock-model");
            JsonNode streamNode = body.get("stream");
            boolean stream =
                    format.streams(streamNode != null && streamNode.isBoolean() ? streamNode.booleanValue() : null);
            boolean includeUsage =
                    body.path("stream_options").path("include_usage").asBoolean(false);
            if (s.status() != 200) {
                later(
                        ctx,
                        s.latencyMs(),
                        () -> json(
                                ctx,
                                keepAlive,
                                s.status(),
                                new String(format.error(s.status()), StandardCharsets.UTF_8)));
            } else if (!stream) {
                later(
                        ctx,
                        s.latencyMs(),
                        () -> full(ctx, keepAlive, 200, format.unaryContentType(), format.unary(model, s.chunks())));
            } else {
                new Stream(counters, ctx, keepAlive, format, model, s, includeUsage).start();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** One streaming answer, driven by timer callbacks on the connection's event loop. */
    private static final class Stream {
        private final Counters mock;
        private final ChannelHandlerContext ctx;
        private final boolean keepAlive;
        private final MockFormat format;
        private final String model;
        private final MockSettings s;
        private final boolean includeUsage;
        private long t0;
        private int next;

        Stream(
                Counters mock,
                ChannelHandlerContext ctx,
                boolean keepAlive,
                MockFormat format,
                String model,
                MockSettings s,
                boolean includeUsage) {
            this.mock = mock;
            this.ctx = ctx;
            this.keepAlive = keepAlive;
            this.format = format;
            this.model = model;
            this.s = s;
            this.includeUsage = includeUsage;
        }

        void start() {
            mock.streamsStarted.increment();
            t0 = System.nanoTime();
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, format.streamContentType())
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                    .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            if (!keepAlive) {
                head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            ctx.write(head);
            byte[] pre = format.preamble(model);
            if (pre.length > 0) {
                ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(pre)));
            }
            ctx.flush();
            step();
        }

        private long deadline(int k) {
            return t0 + TimeUnit.MILLISECONDS.toNanos(s.ttftMs() + (long) k * s.intervalMs());
        }

        private void step() {
            if (!ctx.channel().isActive()) {
                mock.streamsCancelled.increment();
                return;
            }
            long now = System.nanoTime();
            boolean wrote = false;
            while (next < s.chunks() && deadline(next) <= now) {
                byte[] frame = format.content(model, next, s.stamp() ? System.nanoTime() : -1);
                ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(frame)));
                next++;
                wrote = true;
            }
            if (next >= s.chunks() && deadline(s.chunks() == 0 ? 0 : s.chunks() - 1) <= now) {
                ByteBuf tail = Unpooled.wrappedBuffer(format.trailer(model, s.chunks(), includeUsage));
                ctx.write(new DefaultHttpContent(tail));
                var f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                if (!keepAlive) {
                    f.addListener(ChannelFutureListener.CLOSE);
                }
                mock.streamsCompleted.increment();
                return;
            }
            if (wrote) {
                ctx.flush();
            }
            long wait = deadline(next) - System.nanoTime();
            ctx.executor().schedule(this::step, Math.max(0, wait), TimeUnit.NANOSECONDS);
        }
    }

    private static void later(ChannelHandlerContext ctx, int delayMs, Runnable action) {
        if (delayMs <= 0) {
            action.run();
        } else {
            ctx.executor().schedule(action, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    static void json(ChannelHandlerContext ctx, boolean keepAlive, int status, String body) {
        full(ctx, keepAlive, status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    static void full(ChannelHandlerContext ctx, boolean keepAlive, int status, String type, byte[] body) {
        if (!ctx.channel().isActive()) {
            return;
        }
        FullHttpResponse res = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (!keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(res);
        }
    }

    /** For tests: the settings a request with these headers and body would get. */
    static MockSettings settingsFor(
            MockSettings defaults, java.util.Map<String, String> headers, @Nullable JsonNode body) {
        JsonNode knobs = body == null ? Json.object() : body.path("mock");
        return defaults.with(
                headers::get,
                field -> knobs.get(field) instanceof JsonNode n && n.canConvertToInt() ? n.intValue() : null);
    }
}
