package io.modelmaestro.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import io.modelmaestro.json.Json;
import io.modelmaestro.json.MalformedJsonException;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /admin/audit-logs}: the audit log, newest first, filtered by action, entity, actor and time, with paging.
 * Every filter is a bound parameter.
 */
@Singleton
public class AuditQueries {

    private static final int MAX_LIMIT = 500;

    private final JdbcOperations jdbc;

    public AuditQueries(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    public record AuditFilter(
            @Nullable String action,
            @Nullable String entityType,
            @Nullable String entityId,
            @Nullable String performedBy,
            @Nullable String from,
            @Nullable String to,
            int limit,
            int offset) {}

    /** One audit row; {@code details} is the stored JSON (before/after), returned as JSON. */
    public record AuditRow(
            long id,
            String action,
            String entityType,
            @Nullable String entityId,
            String performedBy,
            @Nullable String adminIp,
            @Nullable JsonNode details,
            Instant createdAt) {}

    public record AuditPage(List<AuditRow> logs, long total, int limit, int offset) {}

    @Transactional(readOnly = true)
    public AuditPage list(AuditFilter f) {
        if (f.limit() < 0 || f.limit() > MAX_LIMIT) {
            throw FieldError.of("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (f.offset() < 0) {
            throw FieldError.of("offset", "must not be negative");
        }
        int limit = f.limit() == 0 ? 50 : f.limit();
        StringBuilder where = new StringBuilder(" WHERE 1=1");
        List<Object> params = new ArrayList<>();
        if (f.action() != null) {
            where.append(" AND action = ?");
            params.add(f.action());
        }
        if (f.entityType() != null) {
            where.append(" AND entity_type = ?");
            params.add(f.entityType());
        }
        if (f.entityId() != null) {
            where.append(" AND entity_id = ?");
            params.add(f.entityId());
        }
        if (f.performedBy() != null) {
            where.append(" AND performed_by = ?");
            params.add(f.performedBy());
        }
        if (f.from() != null) {
            where.append(" AND created_at >= ?");
            params.add(Timestamp.from(ActivityQueries.instant(f.from(), "from")));
        }
        if (f.to() != null) {
            where.append(" AND created_at < ?");
            params.add(Timestamp.from(ActivityQueries.instant(f.to(), "to")));
        }
        long total = jdbc.prepareStatement("SELECT count(*) FROM audit_logs" + where, ps -> {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(limit);
        pageParams.add(f.offset());
        List<AuditRow> rows = jdbc.prepareStatement(
                "SELECT id, action, entity_type, entity_id, performed_by, admin_ip, details, created_at"
                        + " FROM audit_logs" + where + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                ps -> {
                    bind(ps, pageParams);
                    List<AuditRow> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new AuditRow(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    details(rs.getString(7)),
                                    rs.getTimestamp(8).toInstant()));
                        }
                    }
                    return out;
                });
        return new AuditPage(rows, total, limit, f.offset());
    }

    private static @Nullable JsonNode details(@Nullable String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return Json.parse(stored.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (MalformedJsonException e) {
            return Json.mapper().getNodeFactory().textNode(stored);
        }
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }
}
