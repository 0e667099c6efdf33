package io.modelmaestro.gateway.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.netty.channel.EventLoopGroupRegistry;
import io.modelmaestro.upstream.UpstreamEventLoops;
import io.netty.channel.EventLoopGroup;
import jakarta.inject.Singleton;

/**
 * Lends the HTTP server's event loops to the upstream client (ADR 0002): the JFR profile of the benchmark showed every
 * request crossing from Micronaut's loops to reactor-netty's and back, two thread wake-ups per request on a 2-core
 * machine. Switched off with {@code maestro.upstream.share-server-event-loops=false}.
 *
 * <p>Nothing on the request path may block (it never did: controllers return publishers and admin controllers run
 * on the blocking executor); with shared loops a blocked loop would also stall the upstream answer it waits for.
 */
@Singleton
@Requires(property = "maestro.upstream.share-server-event-loops", notEquals = "false")
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
