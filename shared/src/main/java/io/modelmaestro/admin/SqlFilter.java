package io.modelmaestro.admin;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The optional filters of an admin list ({@code WHERE … AND col = ?}), a count and one page of rows. Column names and
 * conditions come from the calling code, never from the request; every value the request supplies is a bound
 * parameter.
 */
final class SqlFilter {

    /** Reads one row; the result set is already positioned on it. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final StringBuilder where = new StringBuilder(" WHERE 1=1");
    private final List<Object> params = new ArrayList<>();

    /** {@code AND column op ?} when {@code value} is present; {@code op} is e.g. {@code =}, {@code >=}, {@code <}. */
    SqlFilter when(String column, String op, @Nullable Object value) {
        if (value != null) {
            where.append(" AND ").append(column).append(' ').append(op).append(" ?");
            params.add(value);
        }
        return this;
    }

    /** {@code AND column = ?} when {@code value} is present. */
    SqlFilter eq(String column, @Nullable Object value) {
        return when(column, "=", value);
    }

    /** A fixed condition without parameters (e.g. {@code a.status_code >= 400}). */
    SqlFilter condition(String sql) {
        where.append(" AND ").append(sql);
        return this;
    }

    String where() {
        return where.toString();
    }

    List<Object> params() {
        return List.copyOf(params);
    }

    /** {@code SELECT count(*) FROM <from>} with the filters. */
    long count(JdbcOperations jdbc, String from) {
        return jdbc.prepareStatement("SELECT count(*) FROM " + from + where, ps -> {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** {@code SELECT <columns> FROM <from>} with the filters, ordered, one page. */
    <T> List<T> page(
            JdbcOperations jdbc, String columns, String from, String orderBy, int limit, int offset, Row<T> row) {
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(limit);
        pageParams.add(offset);
        return jdbc.prepareStatement(
                "SELECT " + columns + " FROM " + from + where + " ORDER BY " + orderBy + " LIMIT ? OFFSET ?", ps -> {
                    bind(ps, pageParams);
                    List<T> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(row.read(rs));
                        }
                    }
                    return out;
                });
    }

    static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }
}
