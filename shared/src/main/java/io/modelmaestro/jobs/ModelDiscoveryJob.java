package io.modelmaestro.jobs;

import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.persistence.NodeEntity;
import io.modelmaestro.persistence.NodeRepository;
import io.modelmaestro.pool.DiscoveryService;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Syncs the models of every active node with {@code auto_sync_enabled} ({@code maestro.discovery.interval}, 600 s by
 * default), each under the lease {@code model-discovery:node:ID}.
 */
@Singleton
public class ModelDiscoveryJob implements Job {

    public static final String NAME = "model-discovery";

    private final CatalogService catalog;
    private final NodeRepository nodes;
    private final DiscoveryService discovery;
    private final JobLeases leases;
    private final InstantSource clock;

    public ModelDiscoveryJob(
            CatalogService catalog,
            NodeRepository nodes,
            DiscoveryService discovery,
            JobLeases leases,
            InstantSource clock) {
        this.catalog = catalog;
        this.nodes = nodes;
        this.discovery = discovery;
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
        Set<Long> autoSync = new HashSet<>();
        for (NodeEntity e : nodes.findAll()) {
            if (e.autoSyncEnabled() && e.id() != null) {
                autoSync.add(e.id());
            }
        }
        List<Node> targets = catalog.snapshot().nodes().stream()
                .filter(n -> n.active() && autoSync.contains(n.id()))
                .toList();
        return NodeJobs.runAll(NAME, clock, leases, targets, n -> ttl(), discovery::sync);
    }

    /** One sync now (the admin's "sync models"). */
    public Object runFor(Node node) {
        return NodeJobs.underLease(leases, NAME, node, ttl(), discovery::sync);
    }

    private Duration ttl() {
        return discovery.timeout().multipliedBy(2).plusSeconds(60);
    }
}
