package io.modelmaestro.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;

/**
 * How many client streams each node is serving right now: one counter per node, incremented when the client's
 * stream is subscribed and decremented when it ends in any way (completed, failed, cancelled). Warmup skips a busy
 * node. Thread-safe and allocation-free per request apart from the first stream of a node.
 */
public final class InFlightStreams {

    private final Map<Long, AtomicInteger> counters = new ConcurrentHashMap<>();

    /** Counts {@code stream} as in flight on {@code nodeId} while it is subscribed. */
    public <T> Flux<T> track(long nodeId, Flux<T> stream) {
        return Flux.defer(() -> {
            AtomicInteger counter = counters.computeIfAbsent(nodeId, k -> new AtomicInteger());
            counter.incrementAndGet();
            return stream.doFinally(signal -> counter.decrementAndGet());
        });
    }

    public int count(long nodeId) {
        AtomicInteger counter = counters.get(nodeId);
        return counter == null ? 0 : counter.get();
    }
}
