package io.modelmaestro.jobs;

import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.pool.HealthService;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/**
 * Checks every active node ({@code maestro.health.interval}, 120 s by default, each check bounded by {@code
 * maestro.health.timeout}, 3 s). One node's check runs under the lease {@code health-check:node:ID}.
 */
@Singleton
public class HealthCheckJob implements Job {

    public static final String NAME = "health-check";

    private final CatalogService catalog;
    private final HealthService health;
    private final JobLeases leases;
    private final InstantSource clock;

    public HealthCheckJob(CatalogService catalog, HealthService health, JobLeases leases, InstantSource clock) {
        this.catalog = catalog;
        this.health = health;
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
        List<Node> nodes =
                catalog.snapshot().nodes().stream().filter(Node::active).toList();
        return NodeJobs.runAll(NAME, clock, leases, nodes, n -> ttl(), n -> health.check(n, "scheduled"));
    }

    /** One check now (the admin's "check now"); a {@code lease_held} result when a check of the node is running. */
    public Object runFor(Node node, String trigger) {
        return NodeJobs.underLease(leases, NAME, node, ttl(), n -> health.check(n, trigger));
    }

    private Duration ttl() {
        return health.timeout().multipliedBy(2).plusSeconds(30);
    }
}
