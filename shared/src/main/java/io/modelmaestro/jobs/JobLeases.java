package io.modelmaestro.jobs;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.UUID;

/**
 * Leases in PostgreSQL ({@code job_leases}): a scope (e.g. {@code health-check:node:7}) is run by whoever inserts its
 * row, or takes over a row whose lease has expired; everyone else skips it. Taking a lease is one statement,
 * {@code INSERT … ON CONFLICT (lease_key) DO UPDATE … WHERE job_leases.expires_at <= now}, so two instances can never
 * both get it. The expiry bounds how long a crashed holder blocks the scope. Time comes from the injected clock.
 */
@Singleton
public class JobLeases {

    /** This process's part of every owner id, so a lease row tells which instance holds it. */
    private final String instance = UUID.randomUUID().toString();

    private final JdbcOperations jdbc;
    private final InstantSource clock;

    public JobLeases(JdbcOperations jdbc, InstantSource clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A lease this run holds; {@code owner} is unique per acquisition. */
    public record Lease(String key, String owner, Instant expiresAt) {}

    /** Takes the lease for {@code ttl}, or returns empty when someone else holds an unexpired one. */
    @Transactional
    public Optional<Lease> tryAcquire(String key, Duration ttl) {
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        String owner = instance + "/" + UUID.randomUUID();
        int taken = jdbc.prepareStatement(
                "INSERT INTO job_leases (lease_key, owner_id, acquired_at, expires_at) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (lease_key) DO UPDATE SET owner_id = EXCLUDED.owner_id,"
                        + " acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at"
                        + " WHERE job_leases.expires_at <= ?",
                ps -> {
                    ps.setString(1, key);
                    ps.setString(2, owner);
                    ps.setTimestamp(3, Timestamp.from(now));
                    ps.setTimestamp(4, Timestamp.from(expires));
                    ps.setTimestamp(5, Timestamp.from(now));
                    return ps.executeUpdate();
                });
        return taken == 1 ? Optional.of(new Lease(key, owner, expires)) : Optional.empty();
    }

    /** Gives the lease back (only if this acquisition still holds it). */
    @Transactional
    public void release(Lease lease) {
        jdbc.prepareStatement("DELETE FROM job_leases WHERE lease_key = ? AND owner_id = ?", ps -> {
            ps.setString(1, lease.key());
            ps.setString(2, lease.owner());
            return ps.executeUpdate();
        });
    }
}
