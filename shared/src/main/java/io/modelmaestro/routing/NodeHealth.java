package io.modelmaestro.routing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Passive health: a node that failed real traffic (connect error, timeout, 429, 5xx) is cooled down for a while. The
 * clock is injected so tests can move time. Thread-safe.
 */
public final class NodeHealth {

    private final InstantSource clock;
    private final Duration cooldown;
    private final Map<Long, Instant> coolingUntil = new ConcurrentHashMap<>();

    public NodeHealth(InstantSource clock, Duration cooldown) {
        this.clock = clock;
        this.cooldown = cooldown;
    }

    public boolean isCoolingDown(long nodeId) {
        Instant until = coolingUntil.get(nodeId);
        if (until == null) {
            return false;
        }
        if (!clock.instant().isBefore(until)) {
            coolingUntil.remove(nodeId, until);
            return false;
        }
        return true;
    }

    /** When the node's cooldown ends; {@link Instant#MIN} when it has none. */
    public Instant coolingUntil(long nodeId) {
        return coolingUntil.getOrDefault(nodeId, Instant.MIN);
    }

    public void recordFailure(long nodeId) {
        coolingUntil.put(nodeId, clock.instant().plus(cooldown));
    }

    public void recordSuccess(long nodeId) {
        coolingUntil.remove(nodeId);
    }
}
