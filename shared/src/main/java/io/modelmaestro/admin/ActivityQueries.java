package io.modelmaestro.admin;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import io.modelmaestro.core.error.GatewayException;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Read side of the activity log: the request log with filters and pagination, and usage aggregates from the daily
 * table (which outlives the raw rows). Every filter is a bound parameter; nothing from the query string is
 * concatenated into SQL.
 */
@Singleton
public class ActivityQueries {

    private static final int MAX_LIMIT = 500;

    private final JdbcOperations jdbc;

    public ActivityQueries(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Filters of the request log; every field is optional. */
    public record LogFilter(
            @Nullable String user,
            @Nullable String model,
            @Nullable Long nodeId,
            @Nullable String source,
            @Nullable String status,
            @Nullable String from,
            @Nullable String to,
            @Nullable String urlPath,
            @Nullable String requestId,
            int limit,
            int offset) {}

    public record LogRow(
            long id,
            String requestId,
            @Nullable String username,
            String modelName,
            @Nullable Long nodeId,
            @Nullable String nodeName,
            String requestType,
            @Nullable String source,
            @Nullable String urlPath,
            int statusCode,
            long promptTokens,
            long completionTokens,
            long totalTokens,
            int durationMs,
            @Nullable Integer ttftMs,
            boolean streamed,
            int attempts,
            @Nullable String errorMessage,
            Instant createdAt) {}

    public record LogPage(List<LogRow> requests, long total, int limit, int offset) {}

    public record UsageRow(
            String key, long requests, long errors, long promptTokens, long completionTokens, long totalTokens) {}

    public record UsageReport(
            String groupBy,
            @Nullable LocalDate from,
            @Nullable LocalDate to,
            List<UsageRow> rows) {}

    @Transactional(readOnly = true)
    public LogPage requests(LogFilter f) {
        int limit = f.limit() <= 0 ? 50 : Math.min(f.limit(), MAX_LIMIT);
        int offset = Math.max(0, f.offset());
        SqlFilter filter = new SqlFilter()
                .eq("a.username", f.user())
                .eq("a.model_name", f.model())
                .eq("a.node_id", f.nodeId())
                .eq("a.source", f.source())
                .eq("a.url_path", f.urlPath())
                .eq("a.request_id", f.requestId() == null ? null : requestId(f.requestId()));
        if (f.status() != null) {
            switch (f.status()) {
                case "error" -> filter.condition("a.status_code >= 400");
                case "ok" -> filter.condition("a.status_code < 400");
                default -> {
                    try {
                        filter.eq("a.status_code", Integer.parseInt(f.status()));
                    } catch (NumberFormatException e) {
                        throw FieldError.of("status", "must be a status code, 'ok' or 'error'");
                    }
                }
            }
        }
        filter.when("a.created_at", ">=", f.from() == null ? null : Timestamp.from(instant(f.from(), "from")))
                .when("a.created_at", "<", f.to() == null ? null : Timestamp.from(instant(f.to(), "to")));
        long total = filter.count(jdbc, "activity_logs a");
        List<LogRow> rows = filter.page(
                jdbc,
                "a.id, a.request_id, a.username, a.model_name, a.node_id, a.node_name, a.request_type, a.source,"
                        + " a.url_path, a.status_code, a.prompt_tokens, a.completion_tokens, a.total_tokens,"
                        + " a.duration_ms, a.ttft_ms, a.streamed, a.attempts, a.error_message, a.created_at",
                "activity_logs a",
                "a.created_at DESC, a.id DESC",
                limit,
                offset,
                rs -> new LogRow(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        (Long) rs.getObject(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getString(9),
                        rs.getInt(10),
                        rs.getLong(11),
                        rs.getLong(12),
                        rs.getLong(13),
                        rs.getInt(14),
                        (Integer) rs.getObject(15),
                        rs.getBoolean(16),
                        rs.getInt(17),
                        rs.getString(18),
                        rs.getTimestamp(19).toInstant()));
        return new LogPage(rows, total, limit, offset);
    }

    /** The {@code x-request-id} a client was answered with, as the UUID the row is keyed by. */
    private static UUID requestId(String value) {
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw FieldError.of("request_id", "must be a request id (a UUID, as sent in x-request-id)");
        }
    }

    /** Usage per {@code user}, {@code model}, {@code node} or {@code day}, from the daily aggregates. */
    @Transactional(readOnly = true)
    public UsageReport usage(String groupBy, @Nullable String from, @Nullable String to, @Nullable String user) {
        String key = switch (groupBy) {
            case "user" -> "COALESCE(us.username, '(deleted or unknown)')";
            case "model" -> "d.model_name";
            case "node" -> "COALESCE(n.name, CAST(d.node_id AS TEXT))";
            case "day" -> "CAST(d.day AS TEXT)";
            default -> throw FieldError.of("group_by", "must be user, model, node or day");
        };
        LocalDate fromDay = from == null ? null : day(from, "from");
        LocalDate toDay = to == null ? null : day(to, "to");
        SqlFilter filter = new SqlFilter()
                .when("d.day", ">=", fromDay == null ? null : java.sql.Date.valueOf(fromDay))
                .when("d.day", "<=", toDay == null ? null : java.sql.Date.valueOf(toDay))
                .eq("us.username", user);
        String sql = "SELECT " + key + " AS k, sum(d.requests), sum(d.errors),"
                + " sum(d.prompt_tokens), sum(d.completion_tokens) FROM usage_daily d"
                + " LEFT JOIN users us ON us.id = d.user_id LEFT JOIN nodes n ON n.id = d.node_id" + filter.where()
                + " GROUP BY k ORDER BY k";
        List<Object> params = filter.params();
        List<UsageRow> rows = jdbc.prepareStatement(sql, ps -> {
            SqlFilter.bind(ps, params);
            List<UsageRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long p = rs.getLong(4);
                    long c = rs.getLong(5);
                    out.add(new UsageRow(rs.getString(1), rs.getLong(2), rs.getLong(3), p, c, p + c));
                }
            }
            return out;
        });
        return new UsageReport(groupBy, fromDay, toDay, rows);
    }

    /** The original product's per-user token usage shape. */
    @Transactional(readOnly = true)
    public Map<String, Object> tokenUsage(String username, @Nullable String from, @Nullable String to) {
        UsageReport report = usage("user", from, to, username);
        long requests = 0;
        long prompt = 0;
        long completion = 0;
        for (UsageRow r : report.rows()) {
            requests += r.requests();
            prompt += r.promptTokens();
            completion += r.completionTokens();
        }
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
        usage.put("total_requests", requests);
        Map<String, Object> period = new LinkedHashMap<>();
        period.put("start_date", from);
        period.put("end_date", to);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("username", username);
        out.put("usage", usage);
        out.put("period", period);
        return out;
    }

    /** The original product's {@code GET /admin/users/{u}/activity} shape; 404 for an unknown user. */
    public record UserActivity(
            String username, List<LogRow> activities, long total, int totalReturned, int limit, int offset) {}

    @Transactional(readOnly = true)
    public UserActivity userActivity(String username, int limit, int offset) {
        requireUser(username);
        LogPage page = requests(new LogFilter(username, null, null, null, null, null, null, null, null, limit, offset));
        return new UserActivity(
                username, page.requests(), page.total(), page.requests().size(), page.limit(), page.offset());
    }

    public record ModelUsageRow(
            String modelName,
            long requestCount,
            long errorCount,
            long promptTokens,
            long completionTokens,
            long totalTokens) {}

    public record Period(
            @Nullable LocalDate startDate, @Nullable LocalDate endDate) {}

    /** The original product's {@code GET /admin/users/{u}/model-usage} shape; 404 for an unknown user. */
    public record ModelUsage(String username, List<ModelUsageRow> modelUsage, Period period) {}

    @Transactional(readOnly = true)
    public ModelUsage modelUsage(String username, @Nullable String from, @Nullable String to) {
        requireUser(username);
        UsageReport report = usage("model", from, to, username);
        List<ModelUsageRow> rows = report.rows().stream()
                .map(r -> new ModelUsageRow(
                        r.key(), r.requests(), r.errors(), r.promptTokens(), r.completionTokens(), r.totalTokens()))
                .sorted((a, b) -> Long.compare(b.requestCount(), a.requestCount()))
                .toList();
        return new ModelUsage(username, rows, new Period(report.from(), report.to()));
    }

    private void requireUser(String username) {
        boolean exists = jdbc.prepareStatement("SELECT 1 FROM users WHERE username = ?", ps -> {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
        if (!exists) {
            throw new GatewayException.NotFound("User not found: " + username);
        }
    }

    static Instant instant(String value, String field) {
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value)
                        .atStartOfDay(java.time.ZoneOffset.UTC)
                        .toInstant();
            }
            return Instant.parse(value.endsWith("Z") || value.contains("+") ? value : value + "Z");
        } catch (DateTimeParseException e) {
            throw FieldError.of(field, "invalid date format: '" + value + "' (use 2026-11-23 or 2026-11-23T10:00:00Z)");
        }
    }

    private static LocalDate day(String value, String field) {
        try {
            return LocalDate.parse(value.length() > 10 ? value.substring(0, 10) : value);
        } catch (DateTimeParseException e) {
            throw FieldError.of(field, "invalid date format: '" + value + "' (use 2026-11-23)");
        }
    }

    static GatewayException badParam(String field, String message) {
        return FieldError.of(field, message);
    }
}
