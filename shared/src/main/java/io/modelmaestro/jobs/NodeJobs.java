package io.modelmaestro.jobs;

import io.modelmaestro.catalog.Node;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Runs a piece of work per node, several nodes at once, each under its own lease. */
final class NodeJobs {

    private static final Logger LOG = LoggerFactory.getLogger(NodeJobs.class);
    private static final int PARALLELISM = 8;

    /** What a node's unit became when its lease was held elsewhere. */
    record LeaseHeld(long nodeId, String node, String outcome) {}

    /** A unit that failed unexpectedly (e.g. the database was unreachable). */
    record Failed(long nodeId, String node, String outcome, String error) {}

    private NodeJobs() {}

    static String leaseKey(String job, long nodeId) {
        return job + ":node:" + nodeId;
    }

    /** Runs {@code work} for one node if its lease is free; a {@link LeaseHeld} result otherwise. */
    static Object underLease(JobLeases leases, String job, Node node, Duration ttl, Function<Node, Object> work) {
        Optional<JobLeases.Lease> lease = leases.tryAcquire(leaseKey(job, node.id()), ttl);
        if (lease.isEmpty()) {
            return new LeaseHeld(node.id(), node.name(), "lease_held");
        }
        try {
            return work.apply(node);
        } finally {
            leases.release(lease.get());
        }
    }

    static JobSummary runAll(
            String job,
            InstantSource clock,
            JobLeases leases,
            List<Node> nodes,
            Function<Node, Duration> ttl,
            Function<Node, Object> work) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        List<Object> results = Flux.fromIterable(nodes)
                .flatMapSequential(
                        node -> Mono.fromCallable(() -> safely(leases, job, node, ttl.apply(node), work))
                                .subscribeOn(Schedulers.boundedElastic()),
                        PARALLELISM)
                .collectList()
                .blockOptional()
                .orElse(List.of());
        int held = 0;
        for (Object r : results) {
            if (r instanceof LeaseHeld) {
                held++;
            }
        }
        return new JobSummary(
                job,
                started,
                Duration.ofNanos(System.nanoTime() - t0).toMillis(),
                results.size() - held,
                held,
                new ArrayList<>(results));
    }

    private static Object safely(JobLeases leases, String job, Node node, Duration ttl, Function<Node, Object> work) {
        try {
            return underLease(leases, job, node, ttl, work);
        } catch (RuntimeException e) {
            LOG.warn("{} on node {} failed: {}", job, node.name(), e.toString());
            return new Failed(node.id(), node.name(), "error", e.getClass().getSimpleName());
        }
    }
}
