package io.modelmaestro.activity;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one insert path into {@code activity_logs}, used by the direct sink and by the SQS consumer alike.
 *
 * <p>A batch is one statement ({@code INSERT … SELECT … FROM unnest(…) ON CONFLICT (request_id) DO NOTHING}), so a
 * redelivered or duplicated event is a no-op and a batch is all-or-nothing. When the statement fails while the
 * database is reachable, every row is retried alone, so that only the rows that cannot be stored (a value too long,
 * say) are reported as failed. When the database is not reachable, the whole batch is reported as failed with
 * {@link Result#unavailable()} set, without row-by-row attempts, so the caller can wait instead of burning retries.
 *
 * <p>A user deleted between the request and the insert does not make the row fail: {@code user_id} is looked up in
 * the same statement and stored as null (what {@code ON DELETE SET NULL} would have done).
 */
@Singleton
public class ActivityBatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ActivityBatchWriter.class);

    static final String INSERT = """
            INSERT INTO activity_logs (request_id, user_id, username, model_name, node_id, node_name, request_type,
                source, url_path, status_code, prompt_tokens, completion_tokens, total_tokens, duration_ms, ttft_ms,
                streamed, attempts, error_message, created_at, client_format, real_model, cached_tokens, error_class)
            SELECT t.request_id, u.id, t.username, t.model_name, t.node_id, t.node_name, t.request_type,
                t.source, t.url_path, t.status_code, t.prompt_tokens, t.completion_tokens,
                t.prompt_tokens + t.completion_tokens, t.duration_ms, t.ttft_ms,
                t.streamed, t.attempts, t.error_message, t.created_at::timestamptz, t.client_format, t.real_model,
                t.cached_tokens, t.error_class
            FROM unnest(?::uuid[], ?::int8[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::text[],
                        ?::text[], ?::text[], ?::int4[], ?::int8[], ?::int8[], ?::int4[], ?::int4[],
                        ?::bool[], ?::int4[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::text[])
                AS t(request_id, user_id, username, model_name, node_id, node_name, request_type,
                     source, url_path, status_code, prompt_tokens, completion_tokens, duration_ms, ttft_ms,
                     streamed, attempts, error_message, created_at, client_format, real_model, cached_tokens,
                     error_class)
            LEFT JOIN users u ON u.id = t.user_id
            ON CONFLICT (request_id) DO NOTHING""";

    /**
     * What happened to a batch.
     *
     * @param inserted rows actually inserted (duplicates of stored rows are not counted)
     * @param failed request ids that are not stored; empty when the whole batch is stored
     * @param unavailable the database could not be reached: every id failed, and retrying later is the remedy
     */
    public record Result(int inserted, Set<UUID> failed, boolean unavailable) {
        public boolean ok() {
            return failed.isEmpty();
        }
    }

    private final DataSource dataSource;

    public ActivityBatchWriter(DataSource dataSource) {
        // The injected DataSource is Micronaut's transaction-aware proxy, which refuses connections outside a
        // managed transaction; this class manages its own (one autocommitted statement per call).
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    /** Inserts the events; never throws for database errors (they are in the result). */
    public Result write(List<ActivityEvent> events) {
        if (events.isEmpty()) {
            return new Result(0, Set.of(), false);
        }
        try {
            return new Result(insert(events), Set.of(), false);
        } catch (SQLException batchError) {
            if (!available()) {
                LOG.warn(
                        "PostgreSQL unavailable, {} activity events not written: {}",
                        events.size(),
                        batchError.getMessage());
                return new Result(0, ids(events), true);
            }
            if (events.size() > 1) {
                LOG.warn(
                        "activity batch of {} failed ({}); retrying row by row",
                        events.size(),
                        batchError.getMessage());
            }
            return rowByRow(events);
        }
    }

    private Result rowByRow(List<ActivityEvent> events) {
        int inserted = 0;
        Set<UUID> failed = new LinkedHashSet<>();
        for (ActivityEvent e : events) {
            try {
                inserted += insert(List.of(e));
            } catch (SQLException rowError) {
                failed.add(e.requestId());
                LOG.error(
                        "activity row {} cannot be stored (SQLState {}): {}",
                        e.requestId(),
                        rowError.getSQLState(),
                        rowError.getMessage());
            }
        }
        boolean unavailable = !failed.isEmpty() && failed.size() == events.size() && !available();
        return new Result(inserted, failed, unavailable);
    }

    /** Whether a connection can be had and answers within two seconds. */
    public boolean available() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private int insert(List<ActivityEvent> events) throws SQLException {
        int n = events.size();
        UUID[] requestId = new UUID[n];
        @Nullable Long[] userId = new Long[n];
        @Nullable String[] username = new String[n];
        String[] modelName = new String[n];
        @Nullable Long[] nodeId = new Long[n];
        @Nullable String[] nodeName = new String[n];
        String[] requestType = new String[n];
        String[] source = new String[n];
        String[] urlPath = new String[n];
        Integer[] statusCode = new Integer[n];
        Long[] promptTokens = new Long[n];
        Long[] completionTokens = new Long[n];
        Integer[] durationMs = new Integer[n];
        @Nullable Integer[] ttftMs = new Integer[n];
        Boolean[] streamed = new Boolean[n];
        Integer[] attempts = new Integer[n];
        @Nullable String[] errorMessage = new String[n];
        String[] createdAt = new String[n];
        @Nullable String[] clientFormat = new String[n];
        @Nullable String[] realModel = new String[n];
        Long[] cachedTokens = new Long[n];
        @Nullable String[] errorClass = new String[n];
        for (int i = 0; i < n; i++) {
            ActivityEvent e = events.get(i);
            requestId[i] = e.requestId();
            userId[i] = e.userId();
            username[i] = e.username();
            modelName[i] = e.modelName();
            nodeId[i] = e.nodeId();
            nodeName[i] = e.nodeName();
            requestType[i] = e.requestType();
            source[i] = e.source();
            urlPath[i] = e.urlPath();
            statusCode[i] = e.statusCode();
            promptTokens[i] = e.promptTokens();
            completionTokens[i] = e.completionTokens();
            durationMs[i] = e.durationMs();
            ttftMs[i] = e.ttftMs();
            streamed[i] = e.streamed();
            attempts[i] = e.attempts();
            errorMessage[i] = e.errorMessage();
            createdAt[i] = e.createdAt().toString();
            clientFormat[i] = e.clientFormat();
            realModel[i] = e.realModel();
            cachedTokens[i] = e.cachedTokens();
            errorClass[i] = e.errorClass();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            List<Array> arrays = new ArrayList<>(22);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                @Nullable
                Object[][] columns = {
                    requestId,
                    userId,
                    username,
                    modelName,
                    nodeId,
                    nodeName,
                    requestType,
                    source,
                    urlPath,
                    statusCode,
                    promptTokens,
                    completionTokens,
                    durationMs,
                    ttftMs,
                    streamed,
                    attempts,
                    errorMessage,
                    createdAt,
                    clientFormat,
                    realModel,
                    cachedTokens,
                    errorClass
                };
                String[] types = {
                    "uuid", "int8", "text", "text", "int8", "text", "text", "text", "text", "int4", "int8", "int8",
                    "int4", "int4", "bool", "int4", "text", "text", "text", "text", "int8", "text"
                };
                for (int i = 0; i < columns.length; i++) {
                    Array array = c.createArrayOf(types[i], columns[i]);
                    arrays.add(array);
                    ps.setArray(i + 1, array);
                }
                return ps.executeUpdate();
            } finally {
                for (Array a : arrays) {
                    a.free();
                }
            }
        }
    }

    private static Set<UUID> ids(List<ActivityEvent> events) {
        Set<UUID> ids = new LinkedHashSet<>();
        for (ActivityEvent e : events) {
            ids.add(e.requestId());
        }
        return ids;
    }
}
