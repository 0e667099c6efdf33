package io.modelmaestro.pool;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import io.modelmaestro.json.Json;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the pool jobs write: health results (the node's current columns plus a bounded history), discovered models
 * ({@code node_models}) and warmup settings. Plain SQL through Micronaut's {@link JdbcOperations}.
 */
@Singleton
public class PoolStore {

    /** How many checks of one node the history keeps. */
    public static final int HISTORY = 20;

    private static final int MAX_NAME = 255;

    private final JdbcOperations jdbc;

    public PoolStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** One health check as stored. */
    public record Check(
            Instant checkedAt,
            boolean ok,
            @Nullable Integer latencyMs,
            @Nullable String error,
            String trigger) {}

    /** What a sync changed: models that appeared, models that went away, and how many the node has now. */
    public record SyncDiff(List<String> added, List<String> removed, int total) {}

    /**
     * Stores a check: the node's {@code health_status}, {@code last_health_check}, {@code last_error} and {@code
     * last_latency_ms}, and one history row (older rows beyond {@link #HISTORY} are deleted). Returns the status the
     * node had before, or null when the node no longer exists.
     */
    @Transactional
    public @Nullable String recordCheck(long nodeId, Check check) {
        String before = jdbc.prepareStatement("SELECT health_status FROM nodes WHERE id = ? FOR UPDATE", ps -> {
            ps.setLong(1, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
        if (before == null) {
            return null;
        }
        Timestamp at = Timestamp.from(check.checkedAt());
        jdbc.prepareStatement(
                "UPDATE nodes SET health_status = ?, last_health_check = ?, last_error = ?, last_latency_ms = ?"
                        + " WHERE id = ?",
                ps -> {
                    ps.setString(1, check.ok() ? "healthy" : "unhealthy");
                    ps.setTimestamp(2, at);
                    ps.setString(3, check.error());
                    setInt(ps, 4, check.latencyMs());
                    ps.setLong(5, nodeId);
                    return ps.executeUpdate();
                });
        jdbc.prepareStatement(
                "INSERT INTO node_health_checks (node_id, checked_at, ok, latency_ms, error, trigger)"
                        + " VALUES (?, ?, ?, ?, ?, ?)",
                ps -> {
                    ps.setLong(1, nodeId);
                    ps.setTimestamp(2, at);
                    ps.setBoolean(3, check.ok());
                    setInt(ps, 4, check.latencyMs());
                    ps.setString(5, check.error());
                    ps.setString(6, check.trigger());
                    return ps.executeUpdate();
                });
        jdbc.prepareStatement(
                "DELETE FROM node_health_checks WHERE node_id = ? AND id NOT IN (SELECT id FROM node_health_checks"
                        + " WHERE node_id = ? ORDER BY checked_at DESC, id DESC LIMIT " + HISTORY + ")",
                ps -> {
                    ps.setLong(1, nodeId);
                    ps.setLong(2, nodeId);
                    return ps.executeUpdate();
                });
        return before;
    }

    /** The node's last checks, newest first. */
    @Transactional(readOnly = true)
    public List<Check> history(long nodeId) {
        return jdbc.prepareStatement(
                "SELECT checked_at, ok, latency_ms, error, trigger FROM node_health_checks WHERE node_id = ?"
                        + " ORDER BY checked_at DESC, id DESC LIMIT " + HISTORY,
                ps -> {
                    ps.setLong(1, nodeId);
                    List<Check> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            int latency = rs.getInt(3);
                            Integer latencyMs = rs.wasNull() ? null : latency;
                            out.add(new Check(
                                    rs.getTimestamp(1).toInstant(),
                                    rs.getBoolean(2),
                                    latencyMs,
                                    rs.getString(4),
                                    rs.getString(5)));
                        }
                    }
                    return out;
                });
    }

    /**
     * Makes {@code node_models} of the node what discovery saw: seen models are inserted or refreshed and marked
     * available, the others marked unavailable (kept with their {@code last_seen}).
     */
    @Transactional
    public SyncDiff replaceModels(long nodeId, List<DiscoveredModel> models, Instant now) {
        Set<String> before = new LinkedHashSet<>(availableModels(nodeId));
        Map<String, DiscoveredModel> seen = new LinkedHashMap<>();
        for (DiscoveredModel m : models) {
            if (!m.name().isBlank() && m.name().length() <= MAX_NAME) {
                seen.putIfAbsent(m.name(), m);
            }
        }
        Timestamp at = Timestamp.from(now);
        for (DiscoveredModel m : seen.values()) {
            jdbc.prepareStatement(
                    "INSERT INTO node_models (node_id, model_name, model_size, model_family, model_digest,"
                            + " context_length, capabilities, details, modified_at, last_seen, is_available)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE)"
                            + " ON CONFLICT (node_id, model_name) DO UPDATE SET model_size = EXCLUDED.model_size,"
                            + " model_family = EXCLUDED.model_family, model_digest = EXCLUDED.model_digest,"
                            + " context_length = EXCLUDED.context_length, capabilities = EXCLUDED.capabilities,"
                            + " details = EXCLUDED.details, modified_at = EXCLUDED.modified_at,"
                            + " last_seen = EXCLUDED.last_seen, is_available = TRUE",
                    ps -> {
                        ps.setLong(1, nodeId);
                        ps.setString(2, m.name());
                        Long size = m.size();
                        if (size == null) {
                            ps.setNull(3, Types.BIGINT);
                        } else {
                            ps.setLong(3, size);
                        }
                        ps.setString(4, truncate(m.family(), 100));
                        ps.setString(5, truncate(m.digest(), 100));
                        setInt(ps, 6, m.contextLength());
                        ps.setArray(
                                7,
                                ps.getConnection()
                                        .createArrayOf("text", m.capabilities().toArray()));
                        ps.setString(8, m.entry() == null ? null : Json.writeString(m.entry()));
                        Instant modified = m.modifiedAt();
                        ps.setTimestamp(9, modified == null ? null : Timestamp.from(modified));
                        ps.setTimestamp(10, at);
                        return ps.executeUpdate();
                    });
        }
        jdbc.prepareStatement(
                "UPDATE node_models SET is_available = FALSE WHERE node_id = ? AND is_available"
                        + " AND NOT (model_name = ANY (?))",
                ps -> {
                    ps.setLong(1, nodeId);
                    Array names = ps.getConnection()
                            .createArrayOf("text", seen.keySet().toArray());
                    ps.setArray(2, names);
                    return ps.executeUpdate();
                });
        List<String> added = new ArrayList<>();
        for (String name : seen.keySet()) {
            if (!before.contains(name)) {
                added.add(name);
            }
        }
        List<String> removed = new ArrayList<>();
        for (String name : before) {
            if (!seen.containsKey(name)) {
                removed.add(name);
            }
        }
        return new SyncDiff(added, removed, seen.size());
    }

    @Transactional(readOnly = true)
    public List<String> availableModels(long nodeId) {
        return jdbc.prepareStatement(
                "SELECT model_name FROM node_models WHERE node_id = ? AND is_available ORDER BY model_name", ps -> {
                    ps.setLong(1, nodeId);
                    return names(ps);
                });
    }

    /** The models the node warms up (in name order). */
    @Transactional(readOnly = true)
    public List<String> warmupModels(long nodeId) {
        return jdbc.prepareStatement(
                "SELECT model_name FROM node_warmup_models WHERE node_id = ? ORDER BY model_name", ps -> {
                    ps.setLong(1, nodeId);
                    return names(ps);
                });
    }

    /** Sets {@code nodes.warmup_enabled} and replaces the node's warmup models. */
    @Transactional
    public void setWarmup(long nodeId, boolean enabled, List<String> models) {
        jdbc.prepareStatement("UPDATE nodes SET warmup_enabled = ?, updated_at = now() WHERE id = ?", ps -> {
            ps.setBoolean(1, enabled);
            ps.setLong(2, nodeId);
            return ps.executeUpdate();
        });
        jdbc.prepareStatement("DELETE FROM node_warmup_models WHERE node_id = ?", ps -> {
            ps.setLong(1, nodeId);
            return ps.executeUpdate();
        });
        for (String model : new LinkedHashSet<>(models)) {
            jdbc.prepareStatement("INSERT INTO node_warmup_models (node_id, model_name) VALUES (?, ?)", ps -> {
                ps.setLong(1, nodeId);
                ps.setString(2, model);
                return ps.executeUpdate();
            });
        }
    }

    private static List<String> names(PreparedStatement ps) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void setInt(PreparedStatement ps, int index, @Nullable Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    private static @Nullable String truncate(@Nullable String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
