package io.modelmaestro.gateway.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.MutableClock;
import io.modelmaestro.gateway.support.OllamaWireFake;
import io.modelmaestro.jobs.HealthCheckJob;
import io.modelmaestro.jobs.JobLeases;
import io.modelmaestro.jobs.JobSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two runs of a job at the same time check a node once; a lease only changes hands once it has expired. */
class JobLeaseTest {

    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    static Gateway gw;
    static FakeUpstream node;

    @BeforeAll
    static void start() {
        node = new FakeUpstream();
        OllamaWireFake.install(node, List.of("lease-model"));
        // The check takes a while, so the two runs overlap.
        node.on(
                "GET",
                "/api/version",
                FakeUpstream.Reply.json(200, "{\"version\":\"0.12.3\"}").withFirstDelay(Duration.ofMillis(1500)));
        gw = Gateway.start(Map.of("maestro.health.timeout", "5s"), clock);
        gw.createNode("lease-node", "leasenode", "ollama", node.baseUrl());
    }

    @AfterAll
    static void stop() {
        gw.close();
        node.close();
    }

    @Test
    void twoConcurrentRunsCheckTheNodeOnce() throws Exception {
        HealthCheckJob job = gw.bean(HealthCheckJob.class);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Future<JobSummary> a = pool.submit(() -> {
                go.await();
                return job.run();
            });
            Future<JobSummary> b = pool.submit(() -> {
                go.await();
                return job.run();
            });
            go.countDown();
            JobSummary first = a.get(30, TimeUnit.SECONDS);
            JobSummary second = b.get(30, TimeUnit.SECONDS);
            assertThat(node.requests("/api/version")).hasSize(1);
            assertThat(first.done() + second.done()).isEqualTo(1);
            assertThat(first.leaseHeld() + second.leaseHeld()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        // The lease was given back: the next run checks again.
        assertThat(job.run().done()).isEqualTo(1);
        assertThat(node.requests("/api/version")).hasSize(2);
    }

    @Test
    void anUnexpiredLeaseIsNeverTakenOver() {
        JobLeases leases = gw.bean(JobLeases.class);
        Optional<JobLeases.Lease> held = leases.tryAcquire("test:lease", Duration.ofSeconds(60));
        assertThat(held).isPresent();
        assertThat(leases.tryAcquire("test:lease", Duration.ofSeconds(60))).isEmpty();
        clock.advance(Duration.ofSeconds(59));
        assertThat(leases.tryAcquire("test:lease", Duration.ofSeconds(60))).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        Optional<JobLeases.Lease> takenOver = leases.tryAcquire("test:lease", Duration.ofSeconds(60));
        assertThat(takenOver).isPresent();
        assertThat(takenOver.get().owner()).isNotEqualTo(held.get().owner());
        // The expired holder's release does not free the new holder's lease.
        leases.release(held.get());
        assertThat(leases.tryAcquire("test:lease", Duration.ofSeconds(60))).isEmpty();
        leases.release(takenOver.get());
        assertThat(leases.tryAcquire("test:lease", Duration.ofSeconds(60))).isPresent();
    }
}
