package io.modelmaestro.bench.load;

import io.modelmaestro.bench.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's HTTP/1.1 client: plain Netty on its own event loop(s), keep-alive, no pipelining, no
 * aggregation (so streamed frames are timed as they arrive).
 *
 * <p>Why Netty and not the JDK {@code HttpClient}: the JDK client hands every response to an executor (a thread hop
 * per event, which the earlier spike measured as the costliest part of a proxy on this machine), pools connections out
 * of our sight, and tries an {@code h2c} upgrade unless forced to HTTP/1.1. Here every time stamp is taken on the
 * thread that read the bytes, each connection is explicit (one connection per in-flight request: what "concurrency"
 * means in the results), and epoll's timerfd gives the open-loop schedule microsecond-precise send times.
 */
public final class LoadClient implements AutoCloseable {

    private final EventLoopGroup group;

    public LoadClient(int threads) {
        this.group = Transports.group(threads, "load");
    }

    public EventLoop nextLoop() {
        return group.next();
    }

    /** Connects on {@code loop} (null: any). */
    public CompletableFuture<HttpConn> connect(Endpoint endpoint, EventLoop loop) {
        CompletableFuture<HttpConn> f = new CompletableFuture<>();
        new Bootstrap()
                .group(loop)
                .channel(Transports.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec());
                    }
                })
                .connect(endpoint.host(), endpoint.port())
                .addListener(cf -> {
                    if (cf.isSuccess()) {
                        Channel ch = ((io.netty.channel.ChannelFuture) cf).channel();
                        f.complete(new HttpConn(ch, endpoint));
                    } else {
                        f.completeExceptionally(cf.cause());
                    }
                });
        return f;
    }

    public HttpConn connectSync(Endpoint endpoint) {
        return connect(endpoint, nextLoop()).orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
