package io.modelmaestro.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import io.modelmaestro.json.Json;
import io.modelmaestro.json.MalformedJsonException;
import jakarta.inject.Singleton;
import java.sql.Timestamp;
import java.time.Instant;
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
        SqlFilter filter = new SqlFilter()
                .eq("action", f.action())
                .eq("entity_type", f.entityType())
                .eq("entity_id", f.entityId())
                .eq("performed_by", f.performedBy())
                .when(
                        "created_at",
                        ">=",
                        f.from() == null ? null : Timestamp.from(ActivityQueries.instant(f.from(), "from")))
                .when("created_at", "<", f.to() == null ? null : Timestamp.from(ActivityQueries.instant(f.to(), "to")));
        long total = filter.count(jdbc, "audit_logs");
        List<AuditRow> rows = filter.page(
                jdbc,
                "id, action, entity_type, entity_id, performed_by, admin_ip, details, created_at",
                "audit_logs",
                "created_at DESC, id DESC",
                limit,
                f.offset(),
                rs -> new AuditRow(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        details(rs.getString(7)),
                        rs.getTimestamp(8).toInstant()));
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
}
