package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.models.Model;
import io.github.ollama4j.Ollama;
import io.github.ollama4j.models.chat.OllamaChatMessageRole;
import io.github.ollama4j.models.chat.OllamaChatRequest;
import io.github.ollama4j.models.chat.OllamaChatResult;
import io.github.ollama4j.models.request.ThinkMode;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.ActivityLogEntity;
import io.modelmaestro.persistence.ActivityLogRepository;
import io.modelmaestro.persistence.AuditLogEntity;
import io.modelmaestro.persistence.AuditLogRepository;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Model groups end to end: the admin API, and group names asked for by the real OpenAI SDK (and ollama4j) against
 * fake OpenAI-compatible nodes, one node per member.
 */
class ModelGroupsTest {

    static final String CHAT = "/v1/chat/completions";

    /** Scripted draws for the weighted strategy: each {@code nextLong(bound)} returns the next value. */
    public static final class ScriptedRandom implements RandomGenerator {
        private final Deque<Long> draws = new ArrayDeque<>();

        ScriptedRandom(long... values) {
            for (long v : values) {
                draws.add(v);
            }
        }

        @Override
        public long nextLong() {
            throw new AssertionError("only bounded draws are expected");
        }

        @Override
        public long nextLong(long bound) {
            long v = draws.removeFirst();
            if (v < 0 || v >= bound) {
                throw new AssertionError("scripted draw " + v + " is out of [0, " + bound + ")");
            }
            return v;
        }
    }

    private Gateway gw;
    private FakeUpstream a;
    private FakeUpstream b;
    private FakeUpstream c;

    @AfterEach
    void stop() {
        for (AutoCloseable x : new AutoCloseable[] {gw, a, b, c}) {
            if (x != null) {
                try {
                    x.close();
                } catch (Exception ignored) {
                    // closing test resources
                }
            }
        }
    }

    /** Nodes a, b, c (codes na, nb, nc), each with a mapping model-X → real-X scoped to it. */
    private void threeNodes(Gateway gateway) {
        gw = gateway;
        a = OpenAiWireFake.install(new FakeUpstream(), List.of("real-a"), false);
        b = OpenAiWireFake.install(new FakeUpstream(), List.of("real-b"), false);
        c = OpenAiWireFake.install(new FakeUpstream(), List.of("real-c"), false);
        long na = gw.createNode("node-a", "na", "openai", a.baseUrl());
        long nb = gw.createNode("node-b", "nb", "openai", b.baseUrl());
        long nc = gw.createNode("node-c", "nc", "openai", c.baseUrl());
        gw.map("model-a", "real-a", na);
        gw.map("model-b", "real-b", nb);
        gw.map("model-c", "real-c", nc);
    }

    private JsonNode ok(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return r.body().isEmpty() ? Json.object() : Json.parse(r.body());
    }

    private void group(String json) {
        ok(gw.admin("POST", "/admin/model-groups", json), 201);
    }

    private OpenAIClient sdk(String token) {
        return OpenAIOkHttpClient.builder()
                .apiKey(token)
                .baseUrl(gw.baseUrl() + "/v1")
                .maxRetries(0)
                .build();
    }

    private static ChatCompletionCreateParams hello(String model) {
        return ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage("Say hello")
                .build();
    }

    private static String sentModel(FakeUpstream up) {
        List<FakeUpstream.Recorded> seen = up.requests(CHAT);
        return Json.parse(seen.get(seen.size() - 1).body()).get("model").asText();
    }

    private ActivityLogEntity lastActivity() {
        gw.flushActivity();
        return gw.bean(ActivityLogRepository.class).findAllOrderByIdDesc().get(0);
    }

    // ---- admin API ----

    @Test
    void crud_validates_with_field_names_and_audits_every_mutation() {
        threeNodes(Gateway.start());
        // validation: each 400 names its field
        Map<String, String> invalid = Map.of(
                "{\"description\":\"no name\"}", "name",
                "{\"name\":\"model-a\"}", "name",
                "{\"name\":\"has space\"}", "name",
                "{\"name\":\"g\",\"strategy\":\"fastest\"}", "strategy",
                "{\"name\":\"g\",\"failover_limit\":0}", "failover_limit",
                "{\"name\":\"g\",\"enabled\":\"yes\"}", "enabled",
                "{\"name\":\"g\",\"members\":[{\"priority\":1}]}", "members[0].model",
                "{\"name\":\"g\",\"members\":[{\"model\":\"model-a\",\"node\":\"nope\"}]}", "members[0].node");
        invalid.forEach((body, field) -> {
            HttpResponse<String> r = gw.admin("POST", "/admin/model-groups", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(Json.parse(r.body()).path("field").asText()).as(body).isEqualTo(field);
        });
        assertThat(Json.parse(gw.admin("GET", "/admin/model-groups", null).body())
                        .get("total")
                        .asInt())
                .as("a rejected create leaves nothing behind")
                .isZero();

        JsonNode created = ok(
                gw.admin(
                        "POST",
                        "/admin/model-groups",
                        "{\"name\":\"coding\",\"strategy\":\"priority\",\"description\":\"Code models\","
                                + "\"members\":[{\"model_display_name\":\"model-a\",\"priority\":1}]}"),
                201);
        assertThat(created.get("strategy").asText()).isEqualTo("priority");
        assertThat(created.get("enabled").asBoolean()).isTrue();
        assertThat(created.get("members")).hasSize(1);
        assertThat(created.get("members").get(0).get("model").asText()).isEqualTo("model-a");
        HttpResponse<String> dup = gw.admin("POST", "/admin/model-groups", "{\"name\":\"coding\"}");
        assertThat(dup.statusCode()).isEqualTo(400);
        assertThat(Json.parse(dup.body()).get("field").asText()).isEqualTo("name");

        // members: by real name pinned to a node code, duplicates, weights, groups as members
        JsonNode member = ok(
                gw.admin(
                        "POST",
                        "/admin/model-groups/coding/members",
                        "{\"model\":\"real-b\",\"node\":\"nb\",\"priority\":2,\"weight\":3}"),
                201);
        assertThat(member.get("node_code").asText()).isEqualTo("nb");
        assertThat(member.get("weight").asInt()).isEqualTo(3);
        long memberId = member.get("id").asLong();
        Map<String, String> badMembers = Map.of(
                "{\"model\":\"model-a\"}", "model",
                "{\"model\":\"coding\"}", "model",
                "{\"model\":\"node:nb:real-b\"}", "model",
                "{\"model\":\"model-c\",\"weight\":-1}", "weight",
                "{\"model\":\"model-c\",\"priority\":\"high\"}", "priority",
                "{\"model\":\"model-c\",\"node\":99999}", "node",
                "{\"model\":\"model-c\",\"node\":true}", "node");
        badMembers.forEach((body, field) -> {
            HttpResponse<String> r = gw.admin("POST", "/admin/model-groups/coding/members", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(Json.parse(r.body()).path("field").asText()).as(body).isEqualTo(field);
        });
        assertThat(gw.admin("POST", "/admin/model-groups/nope/members", "{\"model\":\"model-c\"}")
                        .statusCode())
                .isEqualTo(404);

        JsonNode updatedMember = ok(
                gw.admin("PUT", "/admin/model-groups/coding/members/" + memberId, "{\"priority\":0,\"node\":null}"),
                200);
        assertThat(updatedMember.get("priority").asInt()).isZero();
        assertThat(updatedMember.get("node_id").isNull()).isTrue();
        assertThat(updatedMember.get("model").asText()).isEqualTo("real-b");
        assertThat(gw.admin("PUT", "/admin/model-groups/coding/members/" + memberId, "{\"weight\":\"x\"}")
                        .statusCode())
                .isEqualTo(400);

        JsonNode renamed = ok(
                gw.admin(
                        "PUT",
                        "/admin/model-groups/coding",
                        "{\"name\":\"coders\",\"strategy\":\"weighted\",\"failover_limit\":2}"),
                200);
        assertThat(renamed.get("name").asText()).isEqualTo("coders");
        assertThat(renamed.get("failover_limit").asInt()).isEqualTo(2);
        assertThat(renamed.get("members").get(0).get("model").asText())
                .as("members come lowest priority first")
                .isEqualTo("real-b");
        HttpResponse<String> badUpdate = gw.admin("PUT", "/admin/model-groups/coders", "{\"strategy\":\"x\"}");
        assertThat(Json.parse(badUpdate.body()).get("field").asText()).isEqualTo("strategy");
        assertThat(gw.admin("GET", "/admin/model-groups/coding", null).statusCode())
                .isEqualTo(404);

        JsonNode list = ok(gw.admin("GET", "/admin/model-groups", null), 200);
        assertThat(list.get("total").asInt()).isEqualTo(1);
        assertThat(list.get("groups").get(0).get("name").asText()).isEqualTo("coders");

        ok(gw.admin("DELETE", "/admin/model-groups/coders/members/" + memberId, null), 204);
        assertThat(gw.admin("DELETE", "/admin/model-groups/coders/members/" + memberId, null)
                        .statusCode())
                .isEqualTo(404);
        ok(gw.admin("DELETE", "/admin/model-groups/coders", null), 204);
        assertThat(gw.admin("GET", "/admin/model-groups/coders", null).statusCode())
                .isEqualTo(404);

        List<AuditLogEntity> audit = gw.bean(AuditLogRepository.class).findAllOrderByIdDesc().stream()
                .filter(e -> e.entityType().equals("model_group"))
                .toList()
                .reversed();
        assertThat(audit)
                .extracting(AuditLogEntity::action)
                .containsExactly(
                        "create_model_group",
                        "add_model_group_member",
                        "update_model_group_member",
                        "update_model_group",
                        "remove_model_group_member",
                        "delete_model_group");
        assertThat(audit).allSatisfy(e -> assertThat(e.performedBy()).isNotBlank());
        JsonNode rename = Json.parse(audit.get(3).details());
        assertThat(rename.get("before").get("name").asText()).isEqualTo("coding");
        assertThat(rename.get("after").get("name").asText()).isEqualTo("coders");
        assertThat(Json.parse(audit.get(2).details())
                        .get("before")
                        .get("priority")
                        .asInt())
                .isEqualTo(2);
    }

    // ---- requests to a group ----

    @Test
    void a_group_name_resolves_to_a_member_and_the_activity_row_records_group_real_model_and_node() {
        threeNodes(Gateway.start());
        group("{\"name\":\"coding\",\"strategy\":\"priority\",\"members\":["
                + "{\"model\":\"model-b\",\"priority\":2},{\"model\":\"model-a\",\"priority\":1}]}");
        String token = gw.createUser("alice");

        ChatCompletion completion = sdk(token).chat().completions().create(hello("coding"));

        assertThat(completion.model()).isEqualTo("coding");
        assertThat(completion.choices().get(0).message().content()).contains(OpenAiWireFake.ANSWER);
        assertThat(sentModel(a)).isEqualTo("real-a");
        assertThat(b.requests(CHAT)).isEmpty();
        ActivityLogEntity row = lastActivity();
        assertThat(row.modelName()).isEqualTo("coding");
        assertThat(row.realModel()).isEqualTo("real-a");
        assertThat(row.nodeName()).isEqualTo("node-a");
        assertThat(row.statusCode()).isEqualTo(200);
        assertThat(row.attempts()).isEqualTo(1);
    }

    @Test
    void a_member_failing_before_the_first_byte_hands_over_to_the_next_member_in_priority_order() {
        threeNodes(Gateway.start());
        // a refuses connections (its server is gone), b answers 500, c serves
        String goneUrl = a.baseUrl();
        a.close();
        a = null;
        gw.admin("PUT", "/admin/nodes/" + nodeId("node-a"), "{\"base_url\":\"" + goneUrl + "\"}");
        b.on("POST", CHAT, FakeUpstream.Reply.json(500, "{\"error\":{\"message\":\"GPU fell off the bus\"}}"));
        group("{\"name\":\"coding\",\"strategy\":\"priority\",\"members\":["
                + "{\"model\":\"model-a\",\"priority\":1},{\"model\":\"model-b\",\"priority\":2},"
                + "{\"model\":\"model-c\",\"priority\":3}]}");
        String token = gw.createUser("alice");

        ChatCompletion completion = sdk(token).chat().completions().create(hello("coding"));

        assertThat(completion.model()).isEqualTo("coding");
        assertThat(b.requests(CHAT)).hasSize(1);
        assertThat(sentModel(c)).isEqualTo("real-c");
        ActivityLogEntity row = lastActivity();
        assertThat(row.modelName()).isEqualTo("coding");
        assertThat(row.realModel()).isEqualTo("real-c");
        assertThat(row.nodeName()).isEqualTo("node-c");
        assertThat(row.attempts()).isEqualTo(3);

        // the same before the first byte of a stream: the client sees one clean stream from the third member
        StringBuilder text = new StringBuilder();
        List<String> models = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream =
                sdk(token).chat().completions().createStreaming(hello("coding"))) {
            stream.stream().forEach(chunk -> {
                models.add(chunk.model());
                chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
            });
        }
        assertThat(text.toString()).isEqualTo(OpenAiWireFake.ANSWER);
        assertThat(models).isNotEmpty().allMatch("coding"::equals);
        assertThat(b.requests(CHAT)).hasSize(2);
        assertThat(c.requests(CHAT)).hasSize(2);
        assertThat(Json.parse(c.requests(CHAT).get(1).body()).get("stream").asBoolean())
                .isTrue();
        ActivityLogEntity streamed = lastActivity();
        assertThat(streamed.streamed()).isTrue();
        assertThat(streamed.nodeName()).isEqualTo("node-c");
        assertThat(streamed.modelName()).isEqualTo("coding");
    }

    @Test
    void the_failover_limit_stops_after_that_many_members() {
        threeNodes(Gateway.start());
        a.on("POST", CHAT, FakeUpstream.Reply.json(503, "{\"error\":{\"message\":\"overloaded\"}}"));
        b.on("POST", CHAT, FakeUpstream.Reply.json(502, "{\"error\":{\"message\":\"bad gateway\"}}"));
        group("{\"name\":\"coding\",\"strategy\":\"priority\",\"failover_limit\":2,\"members\":["
                + "{\"model\":\"model-a\",\"priority\":1},{\"model\":\"model-b\",\"priority\":2},"
                + "{\"model\":\"model-c\",\"priority\":3}]}");
        String token = gw.createUser("alice");

        assertThatThrownBy(() -> sdk(token).chat().completions().create(hello("coding")))
                .isInstanceOfSatisfying(
                        OpenAIServiceException.class,
                        e -> assertThat(e.statusCode()).isGreaterThanOrEqualTo(500));
        assertThat(a.requests(CHAT)).hasSize(1);
        assertThat(b.requests(CHAT)).hasSize(1);
        assertThat(c.requests(CHAT)).as("the third member is past the limit").isEmpty();

        // without the limit, the third member serves
        ok(gw.admin("PUT", "/admin/model-groups/coding", "{\"failover_limit\":null}"), 200);
        assertThat(sdk(token).chat().completions().create(hello("coding")).model())
                .isEqualTo("coding");
        assertThat(c.requests(CHAT)).hasSize(1);
    }

    @Test
    void images_go_to_a_vision_member_and_tools_to_a_member_with_tools() {
        threeNodes(Gateway.start());
        // a: known to do neither; b: vision (no tools); c: nothing known → capable
        gw.admin("PUT", "/admin/model-mappings/model-a", "{\"capabilities\":[\"completion\"]}");
        gw.admin("PUT", "/admin/model-mappings/model-b", "{\"capabilities\":[\"completion\",\"vision\"]}");
        group("{\"name\":\"coding\",\"strategy\":\"priority\",\"members\":["
                + "{\"model\":\"model-a\",\"priority\":1},{\"model\":\"model-b\",\"priority\":2},"
                + "{\"model\":\"model-c\",\"priority\":3}]}");
        String token = gw.createUser("alice");
        OpenAIClient client = sdk(token);

        client.chat().completions().create(hello("coding"));
        assertThat(a.requests(CHAT)).hasSize(1);

        client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("coding")
                        .addUserMessageOfArrayOfContentParts(List.of(
                                ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder()
                                        .text("What is in this picture?")
                                        .build()),
                                ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                        .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                                .url("data:image/png;base64,iVBORw0KGgo=")
                                                .build())
                                        .build())))
                        .build());
        assertThat(a.requests(CHAT)).hasSize(1);
        assertThat(b.requests(CHAT)).hasSize(1);
        assertThat(Json.parse(b.requests(CHAT).get(0).body()).toString()).contains("data:image/png;base64");

        client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("coding")
                        .addUserMessage("Weather in Paris?")
                        .addTool(weatherTool())
                        .build());
        assertThat(a.requests(CHAT)).hasSize(1);
        assertThat(b.requests(CHAT)).hasSize(1);
        assertThat(c.requests(CHAT)).hasSize(1);
        assertThat(Json.parse(c.requests(CHAT).get(0).body()).has("tools")).isTrue();

        // nobody left who can take images: a 400 in OpenAI's format naming the model parameter
        ok(gw.admin("PUT", "/admin/model-mappings/model-c", "{\"capabilities\":[\"completion\",\"tools\"]}"), 200);
        ok(gw.admin("PUT", "/admin/model-mappings/model-b", "{\"capabilities\":[\"completion\"]}"), 200);
        HttpResponse<String> refused = gw.call(
                "POST",
                CHAT,
                token,
                "{\"model\":\"coding\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                        + "\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}]}");
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode error = Json.parse(refused.body()).get("error");
        assertThat(error.get("param").asText()).isEqualTo("model");
        assertThat(error.get("message").asText()).contains("vision");
    }

    @Test
    void round_robin_takes_turns_and_priority_sticks_to_the_first_member() {
        threeNodes(Gateway.start());
        group("{\"name\":\"rr\",\"strategy\":\"round_robin\",\"members\":["
                + "{\"model\":\"model-a\",\"priority\":1},{\"model\":\"model-b\",\"priority\":2}]}");
        group("{\"name\":\"prio\",\"strategy\":\"priority\",\"members\":["
                + "{\"model\":\"model-c\",\"priority\":5},{\"model\":\"model-b\",\"priority\":9}]}");
        String token = gw.createUser("alice");
        OpenAIClient client = sdk(token);
        for (int i = 0; i < 4; i++) {
            client.chat().completions().create(hello("rr"));
        }
        assertThat(a.requests(CHAT)).hasSize(2);
        assertThat(b.requests(CHAT)).hasSize(2);
        for (int i = 0; i < 3; i++) {
            client.chat().completions().create(hello("prio"));
        }
        assertThat(c.requests(CHAT)).hasSize(3);
        assertThat(b.requests(CHAT)).hasSize(2);
    }

    @Test
    void weighted_picks_members_by_weight_from_the_injected_randomness() {
        // weights a=1, b=3: draws in [0,1) pick a, [1,4) pick b
        threeNodes(Gateway.start(Map.of(), new ScriptedRandom(0, 1, 3, 2, 0)));
        group("{\"name\":\"w\",\"strategy\":\"weighted\",\"members\":["
                + "{\"model\":\"model-a\",\"priority\":1,\"weight\":1},"
                + "{\"model\":\"model-b\",\"priority\":2,\"weight\":3},"
                + "{\"model\":\"model-c\",\"priority\":3,\"weight\":0}]}");
        String token = gw.createUser("alice");
        OpenAIClient client = sdk(token);
        for (int i = 0; i < 5; i++) {
            client.chat().completions().create(hello("w"));
        }
        assertThat(a.requests(CHAT)).hasSize(2);
        assertThat(b.requests(CHAT)).hasSize(3);
        assertThat(c.requests(CHAT)).as("weight 0 is never picked first").isEmpty();
    }

    @Test
    void too_large_for_a_member_goes_to_a_member_with_a_larger_context() {
        threeNodes(Gateway.start());
        ok(gw.admin("PUT", "/admin/model-mappings/model-a", "{\"context_length\":\"8K\"}"), 200);
        ok(gw.admin("PUT", "/admin/model-mappings/model-b", "{\"context_length\":\"4K\"}"), 200);
        ok(gw.admin("PUT", "/admin/model-mappings/model-c", "{\"context_length\":\"128K\"}"), 200);
        group("{\"name\":\"coding\",\"strategy\":\"priority\",\"members\":["
                + "{\"model\":\"model-a\",\"priority\":1},{\"model\":\"model-b\",\"priority\":2},"
                + "{\"model\":\"model-c\",\"priority\":3}]}");
        String token = gw.createUser("alice");
        OpenAIClient client = sdk(token);

        // the upstream says 413: b (smaller than a) is skipped, c serves
        a.on("POST", CHAT, FakeUpstream.Reply.json(413, "{\"error\":{\"message\":\"Request Entity Too Large\"}}"));
        assertThat(client.chat().completions().create(hello("coding")).model()).isEqualTo("coding");
        assertThat(a.requests(CHAT)).hasSize(1);
        assertThat(b.requests(CHAT)).isEmpty();
        assertThat(c.requests(CHAT)).hasSize(1);

        // vLLM's context-length 400 counts the same
        a.on(
                "POST",
                CHAT,
                FakeUpstream.Reply.json(
                        400,
                        "{\"object\":\"error\",\"message\":\"This model's maximum context length is 8192 tokens. "
                                + "However, you requested 9000 tokens.\",\"type\":\"BadRequestError\",\"code\":400}"));
        client.chat().completions().create(hello("coding"));
        assertThat(a.requests(CHAT)).hasSize(2);
        assertThat(b.requests(CHAT)).isEmpty();
        assertThat(c.requests(CHAT)).hasSize(2);

        // the gateway's own estimate: a ~12K-token prompt never goes to the 8K and 4K members
        a.reset();
        OpenAiWireFake.install(a, List.of("real-a"), false);
        String big = "word ".repeat(10_000);
        client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("coding")
                        .addUserMessage(big)
                        .build());
        assertThat(a.requests(CHAT)).isEmpty();
        assertThat(b.requests(CHAT)).isEmpty();
        assertThat(c.requests(CHAT)).hasSize(3);
        assertThat(lastActivity().realModel()).isEqualTo("real-c");
    }

    // ---- model lists and access ----

    @Test
    void groups_are_listed_to_users_allowed_them_and_a_group_grant_covers_its_members() {
        threeNodes(Gateway.start());
        group("{\"name\":\"coding\",\"strategy\":\"priority\",\"members\":[{\"model\":\"model-a\"}]}");
        group("{\"name\":\"hidden\",\"list_in_catalog\":false,\"members\":[{\"model\":\"model-a\"}]}");
        group("{\"name\":\"off\",\"enabled\":false,\"members\":[{\"model\":\"model-a\"}]}");
        String all = gw.createUser("all");
        String groupOnly = gw.createUser("grouponly");
        String memberOnly = gw.createUser("memberonly");
        ok(gw.admin("POST", "/admin/users/grouponly/models", "{\"models\":[\"coding\"]}"), 200);
        ok(gw.admin("POST", "/admin/users/memberonly/models", "{\"models\":[\"model-a\"]}"), 200);

        List<String> allIds =
                sdk(all).models().list().data().stream().map(Model::id).toList();
        assertThat(allIds).contains("coding", "model-a", "model-b").doesNotContain("hidden", "off");
        assertThat(sdk(groupOnly).models().list().data().stream().map(Model::id))
                .containsExactly("coding");
        assertThat(sdk(memberOnly).models().list().data().stream().map(Model::id))
                .containsExactly("model-a");
        JsonNode tags = Json.parse(gw.call("GET", "/api/tags", all, null).body());
        assertThat(tags.get("models").findValuesAsText("name")).contains("coding");

        // allowed the group: its member serves, although the user has no grant for model-a
        assertThat(sdk(groupOnly).chat().completions().create(hello("coding")).model())
                .isEqualTo("coding");
        assertThat(a.requests(CHAT)).hasSize(1);
        // allowed a member only: the group is refused
        assertThatThrownBy(() -> sdk(memberOnly).chat().completions().create(hello("coding")))
                .isInstanceOfSatisfying(
                        OpenAIServiceException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(403));
        // a disabled group is no group: the name is treated like any other model name (here: sent as it is to the
        // undiscovered nodes), never resolved to its members
        sdk(all).chat().completions().create(hello("off"));
        assertThat(sentModel(a)).isEqualTo("off");
    }

    @Test
    void an_ollama_client_asks_for_a_group_and_fails_over_between_members() throws Exception {
        threeNodes(Gateway.start());
        a.on("POST", CHAT, FakeUpstream.Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));
        group("{\"name\":\"coding\",\"strategy\":\"priority\",\"members\":["
                + "{\"model\":\"model-a\",\"priority\":1},{\"model\":\"real-b\",\"node\":\"nb\",\"priority\":2}]}");
        String token = gw.createUser("alice");
        Ollama ollama = new Ollama(gw.baseUrl());
        ollama.setBearerAuth(token);
        ollama.setRequestTimeoutSeconds(30);

        OllamaChatResult result = ollama.chat(
                OllamaChatRequest.builder()
                        .withModel("coding")
                        .withThinking(ThinkMode.DISABLED)
                        .withMessage(OllamaChatMessageRole.USER, "Say hello")
                        .build(),
                null);

        assertThat(result.getResponseModel().getModel()).isEqualTo("coding");
        assertThat(result.getResponseModel().getMessage().getResponse()).isEqualTo(OpenAiWireFake.ANSWER);
        assertThat(a.requests(CHAT)).hasSize(1);
        assertThat(sentModel(b)).isEqualTo("real-b");
        ActivityLogEntity row = lastActivity();
        assertThat(row.modelName()).isEqualTo("coding");
        assertThat(row.nodeName()).isEqualTo("node-b");
        assertThat(row.clientFormat()).isEqualTo("ollama");
    }

    @Test
    void an_anthropic_client_with_tools_gets_the_member_that_has_tools() {
        threeNodes(Gateway.start());
        ok(gw.admin("PUT", "/admin/model-mappings/model-a", "{\"capabilities\":[\"completion\"]}"), 200);
        ok(gw.admin("PUT", "/admin/model-mappings/model-b", "{\"capabilities\":[\"completion\",\"tools\"]}"), 200);
        group("{\"name\":\"coding\",\"strategy\":\"priority\",\"members\":["
                + "{\"model\":\"model-a\",\"priority\":1},{\"model\":\"model-b\",\"priority\":2}]}");
        String token = gw.createUser("alice");
        AnthropicClient claude = AnthropicOkHttpClient.builder()
                .apiKey(token)
                .baseUrl(gw.baseUrl())
                .maxRetries(0)
                .build();

        Message plain = claude.messages()
                .create(MessageCreateParams.builder()
                        .model("coding")
                        .maxTokens(256)
                        .addUserMessage("Say hello")
                        .build());
        assertThat(plain.model().asString()).isEqualTo("coding");
        assertThat(sentModel(a)).isEqualTo("real-a");

        Message withTools = claude.messages()
                .create(MessageCreateParams.builder()
                        .model("coding")
                        .maxTokens(256)
                        .addUserMessage("Weather in Paris?")
                        .addTool(Tool.builder()
                                .name("get_weather")
                                .description("Current weather")
                                .inputSchema(Tool.InputSchema.builder()
                                        .properties(Tool.InputSchema.Properties.builder()
                                                .putAdditionalProperty(
                                                        "city",
                                                        com.anthropic.core.JsonValue.from(Map.of("type", "string")))
                                                .build())
                                        .build())
                                .build())
                        .build());
        assertThat(withTools.model().asString()).isEqualTo("coding");
        assertThat(withTools.content()).anyMatch(ContentBlock::isToolUse);
        assertThat(a.requests(CHAT)).hasSize(1);
        assertThat(sentModel(b)).isEqualTo("real-b");
        ActivityLogEntity row = lastActivity();
        assertThat(row.modelName()).isEqualTo("coding");
        assertThat(row.realModel()).isEqualTo("real-b");
        assertThat(row.requestType()).isEqualTo("messages");
    }

    private long nodeId(String name) {
        for (JsonNode n : Json.parse(gw.admin("GET", "/admin/nodes", null).body())) {
            if (n.get("name").asText().equals(name)) {
                return n.get("id").asLong();
            }
        }
        throw new AssertionError("no node " + name);
    }

    private static ChatCompletionFunctionTool weatherTool() {
        return ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder()
                        .name("get_weather")
                        .description("Current weather")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty(
                                        "properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .build())
                        .build())
                .build();
    }
}
