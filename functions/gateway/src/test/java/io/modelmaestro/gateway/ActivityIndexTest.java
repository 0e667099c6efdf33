package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import io.modelmaestro.gateway.support.Gateway;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The request-log filters are served by indexes, not table scans, once the table is large (a structural check). */
class ActivityIndexTest {

    static Gateway gw;

    @BeforeAll
    static void start() {
        gw = Gateway.start();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void request_log_filters_use_indexes_on_a_large_table() throws Exception {
        JdbcOperations jdbc = gw.bean(JdbcOperations.class);
        TransactionOperations<Connection> tx = gw.context().getBean(TransactionOperations.class);
        String plan = tx.executeWrite(status -> {
            Connection c = jdbc.getConnection();
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO activity_logs (request_id, username, model_name, request_type, status_code,"
                        + " created_at) SELECT gen_random_uuid(), 'bulk' || (g % 500), 'model-' || (g % 50), 'chat',"
                        + " 200, now() - (g || ' seconds')::interval FROM generate_series(1, 60000) g");
                s.execute("ANALYZE activity_logs");
                try (ResultSet rs = s.executeQuery("EXPLAIN SELECT count(*) FROM activity_logs a WHERE a.model_name ="
                        + " 'model-7' AND a.created_at >= now() - interval '1 hour'")) {
                    StringBuilder out = new StringBuilder();
                    while (rs.next()) {
                        out.append(rs.getString(1)).append('\n');
                    }
                    return out.toString();
                }
            }
        });
        assertThat(plan).contains("Index").doesNotContain("Seq Scan on activity_logs");
    }
}
