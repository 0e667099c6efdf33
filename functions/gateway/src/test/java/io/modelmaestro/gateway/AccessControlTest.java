package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.NodeModelEntity;
import io.modelmaestro.persistence.NodeModelRepository;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-user allowlists on every endpoint: a matrix of user × endpoint × model → status, plus the model lists each user
 * sees. Node A serves {@code alpha-real} (mapped as {@code alpha}) and {@code emb}; node B serves those and {@code
 * beta}.
 */
class AccessControlTest {

    static Gateway gw;
    static FakeUpstream a;
    static FakeUpstream b;
    static long nodeA;
    static long nodeB;
    static final Map<String, String> tokens = new HashMap<>();

    @BeforeAll
    static void start() {
        a = OpenAiWireFake.install(new FakeUpstream(), List.of("alpha-real", "emb"), false);
        b = OpenAiWireFake.install(new FakeUpstream(), List.of("alpha-real", "beta", "emb"), false);
        gw = Gateway.start();
        nodeA = gw.createNode("node-a", "a", "openai", a.baseUrl(), 5, 100);
        nodeB = gw.createNode("node-b", "b", "openai", b.baseUrl(), 1, 100);
        NodeModelRepository repo = gw.bean(NodeModelRepository.class);
        for (String m : List.of("alpha-real", "emb")) {
            repo.save(
                    new NodeModelEntity(null, nodeA, m, null, null, null, null, null, null, null, Instant.now(), true));
        }
        for (String m : List.of("alpha-real", "beta", "emb")) {
            repo.save(
                    new NodeModelEntity(null, nodeB, m, null, null, null, null, null, null, null, Instant.now(), true));
        }
        gw.bean(CatalogService.class).refresh();
        gw.map("alpha", "alpha-real");

        for (String u : List.of("free", "only_alpha", "all_models", "node_a", "alpha_on_b")) {
            tokens.put(u, gw.createUser(u));
        }
        ok(gw.admin("POST", "/admin/users/only_alpha/models", "{\"models\":[\"alpha\"]}"));
        ok(gw.admin("POST", "/admin/users/all_models/models", "{\"models\":[\"beta\"]}"));
        ok(gw.admin("POST", "/admin/users/all_models/models/all", null));
        ok(gw.admin("POST", "/admin/users/node_a/nodes", "{\"node_ids\":[" + nodeA + "]}"));
        ok(gw.admin("POST", "/admin/users/alpha_on_b/nodes/" + nodeB + "/models", "{\"models\":[\"alpha\"]}"));
    }

    static void ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        gw.close();
        a.close();
        b.close();
    }

    static String body(String endpoint, String model) {
        return switch (endpoint) {
            case "chat" -> "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            case "chat-stream" ->
                "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            case "completions" -> "{\"model\":\"" + model + "\",\"prompt\":\"hi\"}";
            case "embeddings" -> "{\"model\":\"" + model + "\",\"input\":\"hi\"}";
            default -> throw new IllegalArgumentException(endpoint);
        };
    }

    static String path(String endpoint) {
        return switch (endpoint) {
            case "chat", "chat-stream" -> "/v1/chat/completions";
            case "completions" -> "/v1/completions";
            case "embeddings" -> "/v1/embeddings";
            default -> throw new IllegalArgumentException(endpoint);
        };
    }

    static Stream<Arguments> matrix() {
        List<Arguments> rows = new ArrayList<>();
        // user, model, expected status for every endpoint
        Object[][] table = {
            {"free", "alpha", 200},
            {"free", "beta", 200},
            {"free", "emb", 200},
            {"free", "node:b:beta", 200},
            {"only_alpha", "alpha", 200},
            {"only_alpha", "alpha:latest", 200},
            {"only_alpha", "beta", 403},
            {"only_alpha", "emb", 403},
            {"only_alpha", "node:a:alpha", 200},
            {"only_alpha", "node:b:beta", 403},
            {"all_models", "alpha", 200},
            {"all_models", "beta", 200},
            {"all_models", "emb", 200},
            {"node_a", "alpha", 200},
            {"node_a", "emb", 200},
            {"node_a", "beta", 403},
            {"node_a", "node:b:alpha", 403},
            {"node_a", "node:a:alpha", 200},
            {"alpha_on_b", "node:b:alpha", 200},
            {"alpha_on_b", "node:b:beta", 403},
            {"alpha_on_b", "node:a:emb", 200},
        };
        for (Object[] row : table) {
            for (String endpoint : List.of("chat", "chat-stream", "completions", "embeddings")) {
                rows.add(Arguments.of(row[0], endpoint, row[1], row[2]));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @MethodSource("matrix")
    void allowlists_apply_to_every_endpoint(String user, String endpoint, String model, int expected) {
        int before = a.requests().size() + b.requests().size();
        HttpResponse<String> r = gw.call("POST", path(endpoint), tokens.get(user), body(endpoint, model));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
        if (expected == 403) {
            JsonNode error = Json.parse(r.body()).get("error");
            assertThat(error.get("type").asText()).isEqualTo("permission_error");
            assertThat(a.requests().size() + b.requests().size()).isEqualTo(before);
        }
    }

    @Test
    void node_restricted_users_only_reach_their_nodes_even_when_others_rank_higher() {
        // node-b is preferred for nobody here (node-a has the higher priority), so cool node-a down by making it fail:
        // an unrestricted user fails over to node-b; the node_a user must not.
        a.on("POST", "/v1/chat/completions", FakeUpstream.Reply.json(503, "{\"error\":\"down\"}"));
        try {
            int bBefore = b.requests("/v1/chat/completions").size();
            HttpResponse<String> restricted =
                    gw.call("POST", "/v1/chat/completions", tokens.get("node_a"), body("chat", "alpha"));
            assertThat(restricted.statusCode()).isEqualTo(503);
            assertThat(b.requests("/v1/chat/completions")).hasSize(bBefore);
            HttpResponse<String> free =
                    gw.call("POST", "/v1/chat/completions", tokens.get("free"), body("chat", "alpha"));
            assertThat(free.statusCode()).isEqualTo(200);
            assertThat(b.requests("/v1/chat/completions")).hasSize(bBefore + 1);
        } finally {
            OpenAiWireFake.install(a, List.of("alpha-real", "emb"), false);
            gw.bean(io.modelmaestro.routing.NodeHealth.class).recordSuccess(nodeA);
        }
    }

    static List<String> listed(String user) {
        HttpResponse<String> r = gw.call("GET", "/v1/models", tokens.get(user), null);
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        Json.parse(r.body()).get("data").forEach(m -> ids.add(m.get("id").asText()));
        return ids;
    }

    @Test
    void model_lists_show_only_what_each_user_may_call() {
        assertThat(listed("free")).containsExactlyInAnyOrder("alpha", "beta", "emb");
        assertThat(listed("only_alpha")).containsExactly("alpha");
        assertThat(listed("all_models")).containsExactlyInAnyOrder("alpha", "beta", "emb");
        assertThat(listed("node_a")).containsExactlyInAnyOrder("alpha", "emb");
    }

    @Test
    void allowlist_admin_endpoints_report_and_clear() {
        String token = gw.createUser("temp");
        HttpResponse<String> set = gw.admin("POST", "/admin/users/temp/models", "{\"models\":[\"alpha\"]}");
        JsonNode view = Json.parse(set.body());
        assertThat(view.get("restricted").asBoolean()).isTrue();
        assertThat(view.get("models")).hasSize(1);
        assertThat(gw.call("POST", "/v1/chat/completions", token, body("chat", "beta"))
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> removed = gw.admin("DELETE", "/admin/users/temp/models/alpha", null);
        assertThat(Json.parse(removed.body()).get("restricted").asBoolean()).isFalse();
        assertThat(gw.call("POST", "/v1/chat/completions", token, body("chat", "beta"))
                        .statusCode())
                .isEqualTo(200);

        gw.admin("POST", "/admin/users/temp/nodes", "{\"node_ids\":[" + nodeA + "]}");
        assertThat(Json.parse(gw.admin("GET", "/admin/users/temp/nodes", null).body())
                        .get("node_ids"))
                .hasSize(1);
        assertThat(gw.admin("DELETE", "/admin/users/temp/nodes", null).statusCode())
                .isEqualTo(200);
        assertThat(Json.parse(gw.admin("GET", "/admin/users/temp/nodes", null).body())
                        .get("restricted")
                        .asBoolean())
                .isFalse();
        assertThat(gw.admin("POST", "/admin/users/temp/nodes", "{\"node_ids\":[99999]}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(gw.admin("GET", "/admin/users/nobody/models", null).statusCode())
                .isEqualTo(404);
    }
}
