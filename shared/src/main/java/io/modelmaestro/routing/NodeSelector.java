package io.modelmaestro.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Orders candidate targets for one request: the first is tried first, the rest are the failover order. Randomness is
 * injected so tests are deterministic.
 */
public interface NodeSelector {

    List<Target> order(List<Target> candidates);

    /** Highest {@code priority} first (then higher weight, then lower id): the original product's default. */
    static NodeSelector priority() {
        return PrioritySelector.INSTANCE;
    }

    /** Takes turns among the nodes of the best priority; the others follow in priority order. */
    static NodeSelector roundRobin() {
        return new RoundRobinSelector();
    }

    /** Picks nodes at random in proportion to {@code weight}, without replacement. */
    static NodeSelector weighted(RandomGenerator random) {
        return new WeightedSelector(random);
    }

    static NodeSelector named(String name, RandomGenerator random) {
        return switch (name.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "priority" -> priority();
            case "round-robin", "roundrobin" -> roundRobin();
            case "weighted" -> weighted(random);
            default ->
                throw new IllegalArgumentException(
                        "maestro.selection-strategy must be priority, round-robin or weighted, got: " + name);
        };
    }

    Comparator<Target> BY_PRIORITY = Comparator.comparingInt(
                    (Target t) -> -t.node().priority())
            .thenComparingInt(t -> -t.node().weight())
            .thenComparingLong(t -> t.node().id());

    enum PrioritySelector implements NodeSelector {
        INSTANCE;

        @Override
        public List<Target> order(List<Target> candidates) {
            List<Target> out = new ArrayList<>(candidates);
            out.sort(BY_PRIORITY);
            return out;
        }
    }

    final class RoundRobinSelector implements NodeSelector {
        private final AtomicLong counter = new AtomicLong();

        @Override
        public List<Target> order(List<Target> candidates) {
            List<Target> sorted = new ArrayList<>(candidates);
            sorted.sort(BY_PRIORITY);
            if (sorted.size() < 2) {
                return sorted;
            }
            int top = sorted.get(0).node().priority();
            int tier = 0;
            while (tier < sorted.size() && sorted.get(tier).node().priority() == top) {
                tier++;
            }
            int shift = (int) Math.floorMod(counter.getAndIncrement(), (long) tier);
            List<Target> out = new ArrayList<>(sorted.size());
            for (int i = 0; i < tier; i++) {
                out.add(sorted.get((i + shift) % tier));
            }
            out.addAll(sorted.subList(tier, sorted.size()));
            return out;
        }
    }

    final class WeightedSelector implements NodeSelector {
        private final RandomGenerator random;

        WeightedSelector(RandomGenerator random) {
            this.random = random;
        }

        @Override
        public List<Target> order(List<Target> candidates) {
            List<Target> pool = new ArrayList<>(candidates);
            pool.sort(BY_PRIORITY);
            List<Target> out = new ArrayList<>(pool.size());
            while (!pool.isEmpty()) {
                long total = 0;
                for (Target t : pool) {
                    total += Math.max(1, t.node().weight());
                }
                long pick = random.nextLong(total);
                int chosen = 0;
                for (int i = 0; i < pool.size(); i++) {
                    pick -= Math.max(1, pool.get(i).node().weight());
                    if (pick < 0) {
                        chosen = i;
                        break;
                    }
                }
                out.add(pool.remove(chosen));
            }
            return out;
        }
    }
}
