package io.modelmaestro.upstream;

import io.netty.channel.EventLoopGroup;

/**
 * The event loops the upstream client should run on, when the runtime has some to share. The local Netty runtime
 * provides its HTTP server's loops (functions/gateway), so a request's upstream call is made and answered on the
 * thread that serves the request instead of hopping to a second group of threads and back; without a provider
 * (tests of the core, the buffered Lambda handler) reactor-netty uses its own loops. See ADR 0002.
 */
@FunctionalInterface
public interface UpstreamEventLoops {

    EventLoopGroup group();
}
