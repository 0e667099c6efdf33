package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import io.modelmaestro.activity.ActivityRetention;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The request log and usage queries, the daily aggregates behind them, and retention. */
class ActivityQueriesTest {

    static final String CHAT = "/v1/chat/completions";
    static final String BODY = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    static Gateway gw;
    static FakeUpstream upstream;

    @BeforeAll
    static void start() {
        upstream = OpenAiWireFake.install(new FakeUpstream(), List.of("m"), false);
        gw = Gateway.start();
        gw.createNode("n", "n", "openai", upstream.baseUrl());
        String alice = gw.createUser("alice");
        String bob = gw.createUser("bob");
        for (int i = 0; i < 3; i++) {
            assertThat(gw.call("POST", CHAT, alice, BODY).statusCode()).isEqualTo(200);
        }
        assertThat(gw.call("POST", CHAT, alice, "{\"model\":\"m\"}").statusCode())
                .isEqualTo(400);
        assertThat(gw.call("POST", CHAT, bob, BODY).statusCode()).isEqualTo(200);
        gw.flushActivity();
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    static JsonNode get(String path) {
        HttpResponse<String> r = gw.admin("GET", path, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    @Test
    void request_log_filters_and_paginates() {
        JsonNode alice = get("/admin/requests?user=alice");
        assertThat(alice.get("total").asLong()).isEqualTo(4);
        JsonNode errors = get("/admin/requests?user=alice&status=error");
        assertThat(errors.get("total").asLong()).isEqualTo(1);
        assertThat(errors.get("requests").get(0).get("status_code").asInt()).isEqualTo(400);
        JsonNode page = get("/admin/requests?limit=2&offset=0");
        assertThat(page.get("requests")).hasSize(2);
        assertThat(page.get("total").asLong()).isEqualTo(5);
        JsonNode second = get("/admin/requests?limit=2&offset=2");
        assertThat(second.get("requests").get(0).get("id").asLong())
                .isNotEqualTo(page.get("requests").get(0).get("id").asLong());
        assertThat(get("/admin/requests?from=2999-01-01").get("total").asLong()).isZero();
        assertThat(get("/admin/requests?source=OpenAI-Compatible&status=200")
                        .get("total")
                        .asLong())
                .isEqualTo(4);
        HttpResponse<String> bad = gw.admin("GET", "/admin/requests?from=yesterday", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Json.parse(bad.body()).get("field").asText()).isEqualTo("from");
        HttpResponse<String> injection = gw.admin("GET", "/admin/requests?user=alice'%20OR%20'1'='1", null);
        assertThat(Json.parse(injection.body()).get("total").asLong()).isZero();
    }

    @Test
    void usage_aggregates_by_user_model_and_day() {
        JsonNode byUser = get("/admin/usage?group_by=user");
        JsonNode aliceRow = find(byUser.get("rows"), "alice");
        assertThat(aliceRow.get("requests").asLong()).isEqualTo(4);
        assertThat(aliceRow.get("errors").asLong()).isEqualTo(1);
        assertThat(aliceRow.get("prompt_tokens").asLong()).isEqualTo(36);
        assertThat(find(byUser.get("rows"), "bob").get("completion_tokens").asLong())
                .isEqualTo(7);
        JsonNode byModel = get("/admin/usage?group_by=model&user=alice");
        assertThat(find(byModel.get("rows"), "m").get("total_tokens").asLong()).isEqualTo(57);
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        JsonNode byDay = get("/admin/usage?group_by=day&from=" + today);
        assertThat(byDay.get("rows")).hasSize(1);
        assertThat(byDay.get("rows").get(0).get("requests").asLong()).isEqualTo(5);
        JsonNode tokenUsage = get("/admin/users/alice/token-usage");
        assertThat(tokenUsage.get("usage").get("total_requests").asLong()).isEqualTo(4);
        assertThat(gw.admin("GET", "/admin/usage?group_by=colour", null).statusCode())
                .isEqualTo(400);
    }

    @Test
    void duplicate_deliveries_never_count_twice_and_retention_keeps_aggregates() throws Exception {
        JdbcOperations jdbc = gw.bean(JdbcOperations.class);
        TransactionOperations<Connection> tx = gw.context().getBean(TransactionOperations.class);
        String insert = "INSERT INTO activity_logs (request_id, username, model_name, request_type, status_code,"
                + " prompt_tokens, completion_tokens, total_tokens, created_at) VALUES"
                + " ('00000000-0000-0000-0000-0000000000aa', 'old', 'legacy', 'chat', 200, 5, 5, 10,"
                + " now() - interval '40 days') ON CONFLICT (request_id) DO NOTHING";
        tx.executeWrite(status -> jdbc.prepareStatement(insert, ps -> ps.executeUpdate()));
        tx.executeWrite(status -> jdbc.prepareStatement(insert, ps -> ps.executeUpdate()));
        assertThat(find(get("/admin/usage?group_by=model").get("rows"), "legacy")
                        .get("requests")
                        .asLong())
                .isEqualTo(1);

        long purged = gw.bean(ActivityRetention.class).purge();
        assertThat(purged).isEqualTo(1);
        assertThat(get("/admin/requests?model=legacy").get("total").asLong()).isZero();
        assertThat(find(get("/admin/usage?group_by=model").get("rows"), "legacy")
                        .get("requests")
                        .asLong())
                .isEqualTo(1);
    }

    static JsonNode find(JsonNode rows, String key) {
        for (JsonNode r : rows) {
            if (r.get("key").asText().equals(key)) {
                return r;
            }
        }
        throw new AssertionError("no row " + key + " in " + rows);
    }
}
