package io.modelmaestro.admin;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import io.modelmaestro.settings.KnownSettings;
import io.modelmaestro.settings.RuntimeSettings;
import jakarta.inject.Singleton;
import java.sql.Date;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /admin/dashboard/stats}: counts of users and nodes, and requests and tokens today and over the last N
 * days (UTC), by day (every day present, zeros included, for charts), by model and by user. Usage comes from the daily
 * aggregates ({@code usage_daily}), which outlive the raw request rows.
 */
@Singleton
public class DashboardQueries {

    static final int MAX_DAYS = 90;
    static final int MAX_TOP = 100;

    private final JdbcOperations jdbc;
    private final InstantSource clock;
    private final RuntimeSettings settings;

    public DashboardQueries(JdbcOperations jdbc, InstantSource clock, RuntimeSettings settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
    }

    public record Counts(long requests, long errors, long promptTokens, long completionTokens, long totalTokens) {
        static final Counts ZERO = new Counts(0, 0, 0, 0, 0);
    }

    public record UserStats(long total, long active) {}

    public record NodeStats(long total, long enabled, long healthy, long unhealthy, long unknown) {}

    public record ModelStats(long mappings, long available) {}

    public record DayRow(
            LocalDate day, long requests, long errors, long promptTokens, long completionTokens, long totalTokens) {}

    public record KeyRow(
            String key, long requests, long errors, long promptTokens, long completionTokens, long totalTokens) {}

    public record Stats(
            Instant generatedAt,
            int days,
            LocalDate from,
            LocalDate to,
            UserStats users,
            NodeStats nodes,
            ModelStats models,
            Counts today,
            Counts period,
            List<DayRow> byDay,
            List<KeyRow> byModel,
            List<KeyRow> byUser) {}

    @Transactional(readOnly = true)
    public Stats stats(@Nullable Integer days, @Nullable Integer top) {
        int n = days == null ? (int) settings.integer(KnownSettings.DASHBOARD_DEFAULT_DAYS) : days;
        if (n < 1 || n > MAX_DAYS) {
            throw FieldError.of("days", "must be between 1 and " + MAX_DAYS);
        }
        int limit = top == null ? 10 : top;
        if (limit < 1 || limit > MAX_TOP) {
            throw FieldError.of("top", "must be between 1 and " + MAX_TOP);
        }
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate from = today.minusDays(n - 1L);

        UserStats users = jdbc.prepareStatement("SELECT count(*), count(*) FILTER (WHERE is_active) FROM users", ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new UserStats(rs.getLong(1), rs.getLong(2));
            }
        });
        NodeStats nodes = jdbc.prepareStatement(
                "SELECT count(*), count(*) FILTER (WHERE is_active),"
                        + " count(*) FILTER (WHERE health_status = 'healthy'),"
                        + " count(*) FILTER (WHERE health_status = 'unhealthy'),"
                        + " count(*) FILTER (WHERE health_status NOT IN ('healthy', 'unhealthy')) FROM nodes",
                ps -> {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return new NodeStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
                    }
                });
        ModelStats models = jdbc.prepareStatement(
                "SELECT (SELECT count(*) FROM model_mappings),"
                        + " (SELECT count(DISTINCT model_name) FROM node_models WHERE is_available)",
                ps -> {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return new ModelStats(rs.getLong(1), rs.getLong(2));
                    }
                });

        Map<LocalDate, DayRow> byDay = new LinkedHashMap<>();
        for (LocalDate d = from; !d.isAfter(today); d = d.plusDays(1)) {
            byDay.put(d, new DayRow(d, 0, 0, 0, 0, 0));
        }
        for (KeyRow r : grouped("CAST(d.day AS TEXT)", from, today, Integer.MAX_VALUE)) {
            LocalDate d = LocalDate.parse(r.key());
            byDay.put(
                    d,
                    new DayRow(d, r.requests(), r.errors(), r.promptTokens(), r.completionTokens(), r.totalTokens()));
        }
        DayRow todayRow = byDay.get(today);
        Counts todayCounts = todayRow == null
                ? Counts.ZERO
                : new Counts(
                        todayRow.requests(),
                        todayRow.errors(),
                        todayRow.promptTokens(),
                        todayRow.completionTokens(),
                        todayRow.totalTokens());
        long requests = 0;
        long errors = 0;
        long prompt = 0;
        long completion = 0;
        for (DayRow r : byDay.values()) {
            requests += r.requests();
            errors += r.errors();
            prompt += r.promptTokens();
            completion += r.completionTokens();
        }
        return new Stats(
                now,
                n,
                from,
                today,
                users,
                nodes,
                models,
                todayCounts,
                new Counts(requests, errors, prompt, completion, prompt + completion),
                new ArrayList<>(byDay.values()),
                grouped("d.model_name", from, today, limit),
                grouped("COALESCE(us.username, '(deleted or unknown)')", from, today, limit));
    }

    /** Sums over {@code usage_daily} between two days (inclusive) grouped by {@code key}, most requests first. */
    private List<KeyRow> grouped(String key, LocalDate from, LocalDate to, int limit) {
        String sql = "SELECT " + key + " AS k, sum(d.requests), sum(d.errors), sum(d.prompt_tokens),"
                + " sum(d.completion_tokens) FROM usage_daily d LEFT JOIN users us ON us.id = d.user_id"
                + " WHERE d.day >= ? AND d.day <= ? GROUP BY k ORDER BY sum(d.requests) DESC, k LIMIT ?";
        return jdbc.prepareStatement(sql, ps -> {
            ps.setDate(1, Date.valueOf(from));
            ps.setDate(2, Date.valueOf(to));
            ps.setInt(3, limit);
            List<KeyRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long p = rs.getLong(4);
                    long c = rs.getLong(5);
                    out.add(new KeyRow(rs.getString(1), rs.getLong(2), rs.getLong(3), p, c, p + c));
                }
            }
            return out;
        });
    }
}
