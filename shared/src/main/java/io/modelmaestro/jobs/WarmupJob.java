package io.modelmaestro.jobs;

import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.persistence.NodeEntity;
import io.modelmaestro.persistence.NodeRepository;
import io.modelmaestro.pool.PoolStore;
import io.modelmaestro.pool.WarmupService;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Warms the configured models of every active node with warmup enabled ({@code maestro.warmup.interval}, 300 s by
 * default), each under the lease {@code warmup:node:ID}; see {@link WarmupService} for what is skipped.
 */
@Singleton
public class WarmupJob implements Job {

    public static final String NAME = "warmup";

    private final CatalogService catalog;
    private final NodeRepository nodes;
    private final PoolStore store;
    private final WarmupService warmup;
    private final JobLeases leases;
    private final InstantSource clock;

    public WarmupJob(
            CatalogService catalog,
            NodeRepository nodes,
            PoolStore store,
            WarmupService warmup,
            JobLeases leases,
            InstantSource clock) {
        this.catalog = catalog;
        this.nodes = nodes;
        this.store = store;
        this.warmup = warmup;
        this.leases = leases;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobSummary run() {
        catalog.refresh();
        Set<Long> enabled = new HashSet<>();
        for (NodeEntity e : nodes.findAll()) {
            if (e.warmupEnabled() && e.id() != null) {
                enabled.add(e.id());
            }
        }
        List<Node> targets = catalog.snapshot().nodes().stream()
                .filter(n -> n.active() && enabled.contains(n.id()))
                .toList();
        return NodeJobs.runAll(
                NAME, clock, leases, targets, n -> ttl(), n -> warmup.warm(n, store.warmupModels(n.id())));
    }

    private Duration ttl() {
        return warmup.timeout().multipliedBy(4).plusSeconds(60);
    }
}
