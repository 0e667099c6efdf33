package io.modelmaestro.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The one insert path, against a real PostgreSQL with the real schema. */
class ActivityBatchWriterTest {

    static EmbeddedPostgres postgres;
    static DataSource dataSource;
    static ActivityBatchWriter writer;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        writer = new ActivityBatchWriter(dataSource);
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("DELETE FROM activity_logs");
        }
    }

    static ActivityEvent event(UUID id, String username, Long userId) {
        return new ActivityEvent(
                id,
                userId,
                username,
                "llama",
                null,
                "gpu-1",
                "chat",
                "curl",
                "/v1/chat/completions",
                200,
                10,
                5,
                100,
                20,
                false,
                1,
                null,
                Instant.parse("2025-03-04T05:06:07.891Z"));
    }

    static List<ActivityEvent> events(int n) {
        List<ActivityEvent> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(event(UUID.randomUUID(), "user" + i, null));
        }
        return list;
    }

    static long count() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM activity_logs")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void a_batch_is_stored_with_every_column() throws SQLException {
        List<ActivityEvent> batch = events(25);
        ActivityBatchWriter.Result result = writer.write(batch);
        assertThat(result.ok()).isTrue();
        assertThat(result.inserted()).isEqualTo(25);
        assertThat(count()).isEqualTo(25);
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM activity_logs WHERE request_id = '"
                        + batch.get(3).requestId() + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("username")).isEqualTo("user3");
            assertThat(rs.getLong("total_tokens")).isEqualTo(15);
            assertThat(rs.getInt("ttft_ms")).isEqualTo(20);
            assertThat(rs.getObject("node_id")).isNull();
            assertThat(rs.getTimestamp("created_at").toInstant()).isEqualTo(Instant.parse("2025-03-04T05:06:07.891Z"));
        }
    }

    @Test
    void duplicates_in_a_batch_and_across_batches_are_no_ops() throws SQLException {
        List<ActivityEvent> batch = events(10);
        List<ActivityEvent> doubled = new ArrayList<>(batch);
        doubled.addAll(batch);
        assertThat(writer.write(doubled).inserted()).isEqualTo(10);
        ActivityBatchWriter.Result again = writer.write(batch);
        assertThat(again.ok()).isTrue();
        assertThat(again.inserted()).isZero();
        assertThat(count()).isEqualTo(10);
    }

    @Test
    void a_bad_row_fails_alone() throws SQLException {
        List<ActivityEvent> batch = events(5);
        UUID bad = UUID.randomUUID();
        batch.add(2, event(bad, "x".repeat(300), null)); // username is VARCHAR(255)
        ActivityBatchWriter.Result result = writer.write(batch);
        assertThat(result.failed()).containsExactly(bad);
        assertThat(result.unavailable()).isFalse();
        assertThat(result.inserted()).isEqualTo(5);
        assertThat(count()).isEqualTo(5);
    }

    @Test
    void a_deleted_user_is_stored_as_null_instead_of_failing_the_row() throws SQLException {
        ActivityBatchWriter.Result result = writer.write(List.of(event(UUID.randomUUID(), "ghost", 424242L)));
        assertThat(result.ok()).isTrue();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT user_id, username FROM activity_logs")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject("user_id")).isNull();
            assertThat(rs.getString("username")).isEqualTo("ghost");
        }
    }

    @Test
    void an_unreachable_database_fails_the_whole_batch_as_unavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:" + port + "/postgres");
        nowhere.setConnectTimeout(2);
        ActivityBatchWriter down = new ActivityBatchWriter(nowhere);
        List<ActivityEvent> batch = events(3);
        ActivityBatchWriter.Result result = down.write(batch);
        assertThat(result.unavailable()).isTrue();
        assertThat(result.failed())
                .containsExactlyInAnyOrderElementsOf(
                        batch.stream().map(ActivityEvent::requestId).toList());
        assertThat(down.available()).isFalse();
        assertThat(writer.available()).isTrue();
    }

    @Test
    void the_sink_flush_returns_only_once_every_accepted_event_is_stored() throws Exception {
        // The writer thread takes an event off the queue before it writes it; a flush that looked only at the queue
        // could return in that gap with the row not yet stored (a CI run caught it once in ~80 flushes).
        JdbcActivitySink sink = new JdbcActivitySink(writer);
        try {
            for (int i = 1; i <= 100; i++) {
                sink.accept(event(UUID.randomUUID(), "flush" + i, null));
                sink.flush();
                assertThat(count()).as("rows after flush %d", i).isEqualTo(i);
            }
        } finally {
            sink.stop();
        }
    }
}
