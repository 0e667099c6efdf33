package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin routes added or reshaped to complete the admin API (settings, audit log, dashboard statistics, batch node
 * priorities, the seed's limit and per-node access paths, the activity shapes), over real HTTP: answers, 400s that
 * name the field, and the audit rows every mutation leaves.
 */
class AdminApiTest {

    static final String CHAT = "/v1/chat/completions";
    static final String BODY = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    static Gateway gw;
    static FakeUpstream upstream;

    @BeforeAll
    static void start() {
        upstream = OpenAiWireFake.install(new FakeUpstream(), List.of("m"), false);
        gw = Gateway.start();
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    static JsonNode ok(String method, String path, String body) {
        HttpResponse<String> r = gw.admin(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + " → " + r.body()).isBetween(200, 299);
        return r.body().isEmpty() ? Json.object() : Json.parse(r.body());
    }

    /** A 400 whose body is the admin error shape naming {@code field}. */
    static JsonNode badRequest(String method, String path, String body, String field) {
        HttpResponse<String> r = gw.admin(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + " → " + r.body()).isEqualTo(400);
        JsonNode error = Json.parse(r.body());
        assertThat(error.get("field").asText()).as(r.body()).isEqualTo(field);
        assertThat(error.get("detail").asText()).as(r.body()).startsWith(field);
        return error;
    }

    static JsonNode lastAudit(String action) {
        JsonNode page = ok("GET", "/admin/audit-logs?action=" + action + "&limit=1", null);
        assertThat(page.get("logs")).as("audit rows for " + action).isNotEmpty();
        return page.get("logs").get(0);
    }

    static JsonNode setting(JsonNode list, String key) {
        for (JsonNode s : list.get("settings")) {
            if (s.get("key").asText().equals(key)) {
                return s;
            }
        }
        throw new AssertionError("no setting " + key + " in " + list);
    }

    @Test
    void creating_the_same_user_concurrently_is_the_clients_conflict_never_a_500() throws Exception {
        // Several rounds of eight simultaneous creations of one name: the service checks for the name first, so a
        // loser of the race either sees that check fail or meets the database's unique constraint; both are a 400.
        for (int round = 0; round < 6; round++) {
            String name = "racer-" + round;
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                CountDownLatch go = new CountDownLatch(1);
                for (int i = 0; i < 8; i++) {
                    answers.add(pool.submit(() -> {
                        go.await();
                        return gw.admin("POST", "/admin/users", "{\"username\":\"" + name + "\"}");
                    }));
                }
                go.countDown();
                int created = 0;
                for (var a : answers) {
                    HttpResponse<String> r = a.get();
                    assertThat(r.statusCode()).as(r.body()).isIn(201, 400);
                    if (r.statusCode() == 201) {
                        created++;
                    } else {
                        assertThat(r.body()).contains("already exists").doesNotContain("Internal error");
                    }
                }
                assertThat(created).as(name).isEqualTo(1);
            }
        }
    }

    @Test
    void settings_are_typed_validated_all_or_nothing_and_audited() {
        JsonNode initial = ok("GET", "/admin/settings", null);
        JsonNode days = setting(initial, "dashboard.default_days");
        assertThat(days.get("type").asText()).isEqualTo("integer");
        assertThat(days.get("value").asInt()).isEqualTo(7);
        assertThat(days.get("is_default").asBoolean()).isTrue();
        assertThat(days.get("constraints").get("max").asInt()).isEqualTo(90);

        JsonNode changed =
                ok("PUT", "/admin/settings", "{\"dashboard.default_days\": 14, \"ui.instance_name\": \" prod \"}");
        assertThat(setting(changed, "dashboard.default_days").get("value").asInt())
                .isEqualTo(14);
        assertThat(setting(changed, "dashboard.default_days").get("is_default").asBoolean())
                .isFalse();
        assertThat(setting(changed, "ui.instance_name").get("value").asText()).isEqualTo("prod");
        assertThat(setting(changed, "ui.instance_name").get("updated_at").isNull())
                .isFalse();
        JsonNode one = ok("GET", "/admin/settings/ui.instance_name", null);
        assertThat(one.get("value").asText()).isEqualTo("prod");
        JsonNode audit = lastAudit("update_settings");
        assertThat(audit.get("entity_type").asText()).isEqualTo("settings");
        assertThat(audit.get("performed_by").asText()).isEqualTo("admin");
        assertThat(audit.get("details")
                        .get("before")
                        .get("dashboard.default_days")
                        .asInt())
                .isEqualTo(7);
        assertThat(audit.get("details")
                        .get("after")
                        .get("dashboard.default_days")
                        .asInt())
                .isEqualTo(14);

        // Bad values name the key; nothing of a refused request is written (the valid first key included).
        badRequest(
                "PUT",
                "/admin/settings",
                "{\"ui.instance_name\": \"x\", \"dashboard.default_days\": \"many\"}",
                "dashboard.default_days");
        badRequest("PUT", "/admin/settings", "{\"dashboard.default_days\": 0}", "dashboard.default_days");
        badRequest("PUT", "/admin/settings", "{\"dashboard.default_days\": 1.5}", "dashboard.default_days");
        badRequest("PUT", "/admin/settings", "{\"ui.instance_name\": \"two\\nlines\"}", "ui.instance_name");
        badRequest("PUT", "/admin/settings", "{\"no.such.key\": 1}", "no.such.key");
        assertThat(gw.admin("PUT", "/admin/settings", "[1]").statusCode()).isEqualTo(400);
        assertThat(gw.admin("PUT", "/admin/settings", "{").statusCode()).isEqualTo(400);
        assertThat(ok("GET", "/admin/settings/ui.instance_name", null)
                        .get("value")
                        .asText())
                .isEqualTo("prod");
        HttpResponse<String> unknown = gw.admin("GET", "/admin/settings/no.such.key", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Json.parse(unknown.body()).get("detail").asText()).isEqualTo("Unknown setting: no.such.key");

        // The dashboard reads its default window from the setting; null resets a key to its default.
        assertThat(ok("GET", "/admin/dashboard/stats", null).get("days").asInt())
                .isEqualTo(14);
        JsonNode reset = ok("PUT", "/admin/settings", "{\"dashboard.default_days\": null}");
        assertThat(setting(reset, "dashboard.default_days").get("value").asInt())
                .isEqualTo(7);
        assertThat(setting(reset, "dashboard.default_days").get("is_default").asBoolean())
                .isTrue();
        assertThat(ok("GET", "/admin/dashboard/stats", null).get("days").asInt())
                .isEqualTo(7);
    }

    @Test
    void batch_priority_reorders_nodes_all_or_nothing_and_is_audited() {
        long a = gw.createNode("prio-a", "prio-a", "openai", upstream.baseUrl(), 1, 100);
        long b = gw.createNode("prio-b", "prio-b", "openai", upstream.baseUrl(), 2, 100);
        JsonNode nodes = ok(
                "PATCH",
                "/admin/nodes/batch/priority",
                "{\"priorities\":[{\"id\":" + a + ",\"priority\":200},{\"id\":" + b + ",\"priority\":100}]}");
        List<Long> order = new ArrayList<>();
        nodes.forEach(n -> order.add(n.get("id").asLong()));
        assertThat(order.indexOf(a)).isLessThan(order.indexOf(b));
        assertThat(ok("GET", "/admin/nodes/" + a, null).get("priority").asInt()).isEqualTo(200);
        JsonNode audit = lastAudit("set_node_priorities");
        assertThat(audit.get("details").get("before").get(String.valueOf(a)).asInt())
                .isEqualTo(1);
        assertThat(audit.get("details").get("after").get(String.valueOf(a)).asInt())
                .isEqualTo(200);

        badRequest(
                "PATCH",
                "/admin/nodes/batch/priority",
                "{\"priorities\":[{\"id\":" + a + ",\"priority\":5},{\"id\":999999,\"priority\":1}]}",
                "priorities[1].id");
        badRequest(
                "PATCH",
                "/admin/nodes/batch/priority",
                "{\"priorities\":[{\"id\":" + a + ",\"priority\":\"high\"}]}",
                "priorities[0].priority");
        badRequest(
                "PATCH",
                "/admin/nodes/batch/priority",
                "{\"priorities\":[{\"id\":" + a + "}]}",
                "priorities[0].priority");
        badRequest(
                "PATCH",
                "/admin/nodes/batch/priority",
                "{\"priorities\":[{\"id\":" + a + ",\"priority\":3},{\"id\":" + a + ",\"priority\":4}]}",
                "priorities[1].id");
        badRequest("PATCH", "/admin/nodes/batch/priority", "{\"priorities\":[]}", "priorities");
        assertThat(ok("GET", "/admin/nodes/" + a, null).get("priority").asInt())
                .as("a refused batch changes nothing")
                .isEqualTo(200);
    }

    @Test
    void audit_log_filters_pages_and_returns_details_as_json() {
        gw.createUser("audited-1");
        gw.createUser("audited-2");
        JsonNode page = ok("GET", "/admin/audit-logs?action=create_user&entity_type=user&limit=1", null);
        assertThat(page.get("limit").asInt()).isEqualTo(1);
        assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(page.get("logs")).hasSize(1);
        JsonNode row = page.get("logs").get(0);
        assertThat(row.get("action").asText()).isEqualTo("create_user");
        assertThat(row.get("details").isObject()).isTrue();
        assertThat(row.get("details").get("after").get("is_active").asBoolean()).isTrue();
        assertThat(row.get("admin_ip").asText()).isEqualTo("127.0.0.1");
        JsonNode next = ok("GET", "/admin/audit-logs?action=create_user&limit=1&offset=1", null);
        assertThat(next.get("logs").get(0).get("id").asLong())
                .isLessThan(row.get("id").asLong());
        JsonNode one = ok("GET", "/admin/audit-logs?entity_id=audited-1&performed_by=admin", null);
        assertThat(one.get("total").asLong()).isEqualTo(1);
        assertThat(ok("GET", "/admin/audit-logs?from=2999-01-01", null)
                        .get("total")
                        .asLong())
                .isZero();
        assertThat(ok("GET", "/admin/audit-logs?action=x'%20OR%20'1'='1", null)
                        .get("total")
                        .asLong())
                .isZero();
        badRequest("GET", "/admin/audit-logs?limit=1000", null, "limit");
        badRequest("GET", "/admin/audit-logs?limit=many", null, "limit");
        badRequest("GET", "/admin/audit-logs?offset=-1", null, "offset");
        badRequest("GET", "/admin/audit-logs?from=yesterday", null, "from");
    }

    @Test
    void dashboard_stats_count_users_nodes_and_usage_by_day_model_and_user() {
        long node = gw.createNode("dash", "dash", "openai", upstream.baseUrl());
        String carol = gw.createUser("carol");
        String dave = gw.createUser("dave");
        ok("POST", "/admin/users/dave/deactivate", null);
        JsonNode before = ok("GET", "/admin/dashboard/stats?days=3", null);
        ok("POST", "/admin/users/dave/activate", null);
        String daveToken =
                ok("PUT", "/admin/users/dave/token", null).get("token").asText();
        for (int i = 0; i < 2; i++) {
            assertThat(gw.call("POST", CHAT, carol, BODY).statusCode()).isEqualTo(200);
        }
        assertThat(gw.call("POST", CHAT, daveToken, BODY).statusCode()).isEqualTo(200);
        assertThat(gw.call("POST", CHAT, daveToken, "{\"model\":\"m\"}").statusCode())
                .isEqualTo(400);
        gw.flushActivity();
        // An older request, two days ago, inside a three-day window.
        JdbcOperations jdbc = gw.bean(JdbcOperations.class);
        TransactionOperations<Connection> tx = gw.context().getBean(TransactionOperations.class);
        tx.executeWrite(status -> jdbc.prepareStatement(
                "INSERT INTO activity_logs (request_id, user_id, username, model_name, request_type,"
                        + " status_code, prompt_tokens, completion_tokens, total_tokens, created_at) VALUES"
                        + " ('00000000-0000-0000-0000-0000000000d2', (SELECT id FROM users WHERE username = 'carol'),"
                        + " 'carol', 'older-model', 'chat', 200, 30, 20, 50, now() - interval '2 days')",
                ps -> ps.executeUpdate()));

        JsonNode stats = ok("GET", "/admin/dashboard/stats?days=3&top=5", null);
        assertThat(stats.get("days").asInt()).isEqualTo(3);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(stats.get("to").asText()).isEqualTo(today.toString());
        assertThat(stats.get("from").asText()).isEqualTo(today.minusDays(2).toString());
        assertThat(stats.get("users").get("total").asLong())
                .isEqualTo(before.get("users").get("total").asLong());
        assertThat(stats.get("users").get("active").asLong())
                .isEqualTo(before.get("users").get("active").asLong() + 1);
        assertThat(stats.get("nodes").get("total").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.get("nodes").get("enabled").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.get("nodes").get("unknown").asLong()
                        + stats.get("nodes").get("healthy").asLong()
                        + stats.get("nodes").get("unhealthy").asLong())
                .isEqualTo(stats.get("nodes").get("total").asLong());

        // Chart series: every day of the window, oldest first, zeros included.
        JsonNode byDay = stats.get("by_day");
        assertThat(byDay).hasSize(3);
        assertThat(byDay.get(0).get("day").asText())
                .isEqualTo(today.minusDays(2).toString());
        assertThat(byDay.get(0).get("requests").asLong()).isEqualTo(1);
        assertThat(byDay.get(0).get("total_tokens").asLong()).isEqualTo(50);
        assertThat(byDay.get(1).get("requests").asLong()).isZero();
        long todayRequests = byDay.get(2).get("requests").asLong();
        assertThat(todayRequests).isGreaterThanOrEqualTo(4);
        assertThat(stats.get("today").get("requests").asLong()).isEqualTo(todayRequests);
        assertThat(stats.get("today").get("errors").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.get("period").get("requests").asLong()).isEqualTo(todayRequests + 1);
        assertThat(stats.get("period").get("total_tokens").asLong())
                .isEqualTo(stats.get("period").get("prompt_tokens").asLong()
                        + stats.get("period").get("completion_tokens").asLong());

        JsonNode carolRow = find(stats.get("by_user"), "carol");
        assertThat(carolRow.get("requests").asLong()).isEqualTo(3);
        assertThat(find(stats.get("by_user"), "dave").get("errors").asLong()).isEqualTo(1);
        assertThat(find(stats.get("by_model"), "older-model")
                        .get("total_tokens")
                        .asLong())
                .isEqualTo(50);
        assertThat(stats.get("by_model").get(0).get("requests").asLong())
                .as("most requests first")
                .isGreaterThanOrEqualTo(
                        stats.get("by_model").get(1).get("requests").asLong());
        // Outside the window: only today.
        JsonNode oneDay = ok("GET", "/admin/dashboard/stats?days=1", null);
        assertThat(oneDay.get("by_day")).hasSize(1);
        assertThat(oneDay.get("by_model").toString()).doesNotContain("older-model");

        badRequest("GET", "/admin/dashboard/stats?days=0", null, "days");
        badRequest("GET", "/admin/dashboard/stats?days=91", null, "days");
        badRequest("GET", "/admin/dashboard/stats?top=0", null, "top");
        badRequest("GET", "/admin/dashboard/stats?days=week", null, "days");
        assertThat(node).isPositive();
    }

    @Test
    void the_request_log_finds_a_request_by_the_id_its_answer_carried() {
        gw.createNode("rid", "rid", "openai", upstream.baseUrl());
        String token = gw.createUser("rita");
        HttpResponse<String> first = gw.call("POST", CHAT, token, BODY);
        HttpResponse<String> second = gw.call("POST", CHAT, token, BODY);
        String id = first.headers().firstValue("x-request-id").orElseThrow();
        assertThat(second.headers().firstValue("x-request-id"))
                .isPresent()
                .get()
                .isNotEqualTo(id);
        gw.awaitActivity(r -> r.requestId().toString().equals(id));

        JsonNode page = ok("GET", "/admin/requests?request_id=" + id, null);
        assertThat(page.get("total").asLong()).isEqualTo(1);
        assertThat(page.get("requests").get(0).get("request_id").asText()).isEqualTo(id);
        assertThat(page.get("requests").get(0).get("username").asText()).isEqualTo("rita");

        HttpResponse<String> bad = gw.admin("GET", "/admin/requests?request_id=1%27%20OR%20%271%27=%271", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Json.parse(bad.body()).get("field").asText()).isEqualTo("request_id");
    }

    @Test
    void limits_take_the_seed_verb_can_be_removed_and_are_audited() {
        gw.createUser("limited");
        JsonNode set = ok("POST", "/admin/users/limited/limits", "{\"request_limit\": 10, \"token_limit\": null}");
        assertThat(set.get("request_limit").asInt()).isEqualTo(10);
        assertThat(set.get("token_limit").isNull()).isTrue();
        assertThat(set.get("created_at").isNull()).isFalse();
        assertThat(set.get("updated_at").isNull()).isFalse();
        badRequest("POST", "/admin/users/limited/limits", "{\"request_limit\": -1}", "request_limit");

        HttpResponse<String> removed = gw.admin("DELETE", "/admin/users/limited/limits", null);
        assertThat(removed.statusCode()).isEqualTo(204);
        JsonNode after = ok("GET", "/admin/users/limited/limits", null);
        assertThat(after.get("request_limit").isNull()).isTrue();
        assertThat(after.get("created_at").isNull()).isTrue();
        JsonNode audit = lastAudit("remove_user_limits");
        assertThat(audit.get("details").get("before").get("request_limit").asInt())
                .isEqualTo(10);
        HttpResponse<String> again = gw.admin("DELETE", "/admin/users/limited/limits", null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(Json.parse(again.body()).get("detail").asText()).contains("no limits");
        assertThat(gw.admin("DELETE", "/admin/users/nobody/limits", null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void all_models_on_a_node_lifts_the_node_allowlist_and_adds_the_node() {
        long n1 = gw.createNode("acc-1", "acc-1", "openai", upstream.baseUrl());
        long n2 = gw.createNode("acc-2", "acc-2", "openai", upstream.baseUrl());
        gw.createUser("scoped");
        ok("POST", "/admin/users/scoped/nodes", "{\"node_ids\":[" + n1 + "]}");
        ok("POST", "/admin/users/scoped/nodes/" + n2 + "/models", "{\"models\":[\"m\"]}");
        JsonNode all = ok("POST", "/admin/users/scoped/nodes/" + n2 + "/models/all", null);
        assertThat(all.get("restricted").asBoolean()).isFalse();
        assertThat(all.get("models")).isEmpty();
        JsonNode nodes = ok("GET", "/admin/users/scoped/nodes", null);
        assertThat(nodes.get("node_ids").toString()).contains(String.valueOf(n1), String.valueOf(n2));
        JsonNode audit = lastAudit("grant_all_node_models");
        assertThat(audit.get("details")
                        .get("before")
                        .get("node_models")
                        .get("models")
                        .get(0)
                        .asText())
                .isEqualTo("m");
        assertThat(gw.admin("POST", "/admin/users/scoped/nodes/999999/models/all", null)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void user_activity_and_model_usage_have_the_seed_shapes() {
        gw.createNode("act", "act", "openai", upstream.baseUrl());
        String erin = gw.createUser("erin");
        assertThat(gw.call("POST", CHAT, erin, BODY).statusCode()).isEqualTo(200);
        assertThat(gw.call("POST", CHAT, erin, BODY).statusCode()).isEqualTo(200);
        gw.flushActivity();
        JsonNode activity = ok("GET", "/admin/users/erin/activity?limit=1", null);
        assertThat(activity.get("username").asText()).isEqualTo("erin");
        assertThat(activity.get("activities")).hasSize(1);
        assertThat(activity.get("total_returned").asInt()).isEqualTo(1);
        assertThat(activity.get("total").asLong()).isEqualTo(2);
        assertThat(activity.get("activities").get(0).get("model_name").asText()).isEqualTo("m");
        JsonNode usage = ok("GET", "/admin/users/erin/model-usage", null);
        assertThat(usage.get("username").asText()).isEqualTo("erin");
        JsonNode row = usage.get("model_usage").get(0);
        assertThat(row.get("model_name").asText()).isEqualTo("m");
        assertThat(row.get("request_count").asLong()).isEqualTo(2);
        assertThat(row.get("total_tokens").asLong()).isPositive();
        assertThat(usage.get("period").has("start_date")).isTrue();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertThat(ok("GET", "/admin/users/erin/model-usage?start_date=" + today, null)
                        .get("period")
                        .get("start_date")
                        .asText())
                .isEqualTo(today);
        assertThat(gw.admin("GET", "/admin/users/ghost/activity", null).statusCode())
                .isEqualTo(404);
        assertThat(gw.admin("GET", "/admin/users/ghost/model-usage", null).statusCode())
                .isEqualTo(404);
        badRequest("GET", "/admin/requests?node_id=abc", null, "node_id");
    }

    @Test
    void node_scoped_mappings_name_their_node() {
        long node = gw.createNode("mapped", "mapped", "openai", upstream.baseUrl());
        JsonNode m = ok(
                "POST",
                "/admin/model-mappings",
                "{\"display_name\":\"scoped-coder\",\"real_name\":\"m\",\"node_id\":" + node
                        + ",\"context_length\":\"32K\",\"capabilities\":[\"tools\"]}");
        assertThat(m.get("node_id").asLong()).isEqualTo(node);
        assertThat(m.get("node_name").asText()).isEqualTo("mapped");
        assertThat(m.get("node_type").asText()).isEqualTo("openai");
        assertThat(m.get("nodes").get(0).get("name").asText()).isEqualTo("mapped");
        assertThat(m.get("context_length").asInt()).isEqualTo(32768);
        JsonNode global =
                ok("POST", "/admin/model-mappings", "{\"display_name\":\"global-coder\",\"real_name\":\"m\"}");
        assertThat(global.get("node_id").isNull()).isTrue();
        assertThat(global.get("nodes")).isEmpty();
        badRequest(
                "POST",
                "/admin/model-mappings",
                "{\"display_name\":\"x\",\"real_name\":\"m\",\"capabilities\":[\"fly\"]}",
                "capabilities");
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
