package io.modelmaestro.gateway.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.netty.channel.EventLoopGroupRegistry;
import io.modelmaestro.upstream.UpstreamEventLoops;
import io.netty.channel.EventLoopGroup;
import jakarta.inject.Singleton;

/**
 * Lends the HTTP server's event loops to the upstream client (ADR 0002), when {@code
 * maestro.upstream.share-server-event-loops=true}. Off by default: the idea was to save the two thread hops per request
 * the JFR profile showed (Micronaut's loops to reactor-netty's and back), but measured with the quick benchmark on the
 * same machine minutes apart it made things worse (added p50 at one request in flight 2.8–3.0 ms with sharing, 1.2 ms
 * without; docs/benchmarks/README.md), so it stays an opt-in experiment.
 *
 * <p>Nothing on the request path may block (it never did: controllers return publishers and admin controllers run
 * on the blocking executor); with shared loops a blocked loop would also stall the upstream answer it waits for.
 */
@Singleton
@Requires(property = "maestro.upstream.share-server-event-loops", value = "true")
@Requires(beans = EventLoopGroupRegistry.class)
public class ServerEventLoops implements UpstreamEventLoops {

    private final EventLoopGroupRegistry registry;

    public ServerEventLoops(EventLoopGroupRegistry registry) {
        this.registry = registry;
    }

    @Override
    public EventLoopGroup group() {
        return registry.getDefaultEventLoopGroup();
    }
}
