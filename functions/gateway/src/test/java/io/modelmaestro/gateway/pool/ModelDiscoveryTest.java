package io.modelmaestro.gateway.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.github.ollama4j.Ollama;
import io.github.ollama4j.models.response.Model;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OllamaWireFake;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.jobs.JobSummary;
import io.modelmaestro.jobs.ModelDiscoveryJob;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.AuditLogEntity;
import io.modelmaestro.persistence.AuditLogRepository;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Model discovery against a fake Ollama node (tags + show) and a fake vLLM node (/v1/models with max_model_len): a
 * model added to a node is picked up, a removed one dropped, and routing, {@code /v1/models} (openai-java) and {@code
 * /api/tags} (ollama4j) follow what discovery stored, not the node's live answer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelDiscoveryTest {

    static Gateway gw;
    static String token;
    static FakeUpstream ollama;
    static FakeUpstream vllm;
    static final List<String> ollamaModels = new CopyOnWriteArrayList<>(List.of("llama3.2:3b", "qwen3:8b"));
    static long ollamaId;
    static long vllmId;

    @BeforeAll
    static void start() {
        ollama = new FakeUpstream();
        OllamaWireFake.install(ollama, ollamaModels);
        OpenAiWireFake.install(ollama, ollamaModels, true);
        vllm = new FakeUpstream();
        OpenAiWireFake.install(vllm, List.of("Qwen/Qwen2.5-7B"), false);
        gw = Gateway.start();
        token = gw.createUser("ivy");
        ollamaId = gw.createNode("disc-ollama", "discollama", "ollama", ollama.baseUrl());
        vllmId = gw.createNode("disc-vllm", "discvllm", "vllm", vllm.baseUrl() + "/v1");
    }

    @AfterAll
    static void stop() {
        gw.close();
        ollama.close();
        vllm.close();
    }

    static OpenAIClient openAi() {
        return OpenAIOkHttpClient.builder()
                .apiKey(token)
                .baseUrl(gw.baseUrl() + "/v1")
                .maxRetries(0)
                .build();
    }

    static List<String> v1Models() {
        List<String> ids = new ArrayList<>();
        openAi().models().list().autoPager().forEach(m -> ids.add(m.id()));
        return ids;
    }

    static List<Model> tags() throws Exception {
        Ollama client = new Ollama(gw.baseUrl());
        client.setBearerAuth(token);
        client.setRequestTimeoutSeconds(30);
        return client.listModels();
    }

    static JsonNode models(long id) {
        HttpResponse<String> r = gw.admin("GET", "/admin/nodes/" + id + "/models", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    static JsonNode model(JsonNode list, String name) {
        for (JsonNode m : list) {
            if (m.get("name").asText().equals(name)) {
                return m;
            }
        }
        throw new AssertionError(name + " not in " + list);
    }

    @Test
    @Order(1)
    void discoveryFollowsTheNodes_andTheListsAndRoutingFollowDiscovery() throws Exception {
        assertThat(models(ollamaId)).isEmpty();

        JobSummary summary = gw.bean(ModelDiscoveryJob.class).run();
        assertThat(summary.done()).isEqualTo(2);
        JsonNode stored = models(ollamaId);
        assertThat(stored).hasSize(2);
        JsonNode llama = model(stored, "llama3.2:3b");
        assertThat(llama.get("context_length").asInt()).isEqualTo(131072);
        assertThat(llama.get("capabilities").get(0).asText()).isEqualTo("completion");
        assertThat(llama.get("size").asLong()).isEqualTo(2019393189L);
        assertThat(llama.get("family").asText()).isEqualTo("llama");
        assertThat(llama.get("is_available").asBoolean()).isTrue();
        assertThat(ollama.requests("/api/show")).hasSize(2);
        assertThat(model(models(vllmId), "Qwen/Qwen2.5-7B")
                        .get("context_length")
                        .asInt())
                .isEqualTo(32768);

        assertThat(v1Models()).contains("llama3.2:3b", "qwen3:8b", "Qwen/Qwen2.5-7B");
        Model tagged = tags().stream()
                .filter(m -> m.getName().equals("llama3.2:3b"))
                .findFirst()
                .orElseThrow();
        assertThat(tagged.getSize()).isEqualTo(2019393189L);
        assertThat(tagged.getDigest()).isEqualTo(OllamaWireFake.digest("llama3.2:3b"));

        // The node changes. Until the next sync the gateway keeps what discovery stored.
        ollamaModels.remove("qwen3:8b");
        ollamaModels.add("gemma3:4b");
        assertThat(v1Models()).contains("qwen3:8b").doesNotContain("gemma3:4b");

        HttpResponse<String> sync = gw.admin("POST", "/admin/nodes/" + ollamaId + "/models/sync", null);
        assertThat(sync.statusCode()).as(sync.body()).isEqualTo(200);
        JsonNode result = Json.parse(sync.body());
        assertThat(result.get("outcome").asText()).isEqualTo("synced");
        assertThat(result.get("added")).extracting(JsonNode::asText).containsExactly("gemma3:4b");
        assertThat(result.get("removed")).extracting(JsonNode::asText).containsExactly("qwen3:8b");
        assertThat(result.get("total").asInt()).isEqualTo(2);

        assertThat(v1Models())
                .contains("llama3.2:3b", "gemma3:4b", "Qwen/Qwen2.5-7B")
                .doesNotContain("qwen3:8b");
        List<String> tagNames = tags().stream().map(Model::getName).toList();
        assertThat(tagNames).contains("gemma3:4b").doesNotContain("qwen3:8b");
        assertThat(model(models(ollamaId), "qwen3:8b").get("is_available").asBoolean())
                .isFalse();

        // Routing follows too: the dropped model has no node any more; the new one is served.
        int before = ollama.requests("/v1/chat/completions").size();
        assertThatThrownBy(() -> openAi().chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("qwen3:8b")
                                .addUserMessage("hi")
                                .build()))
                .isInstanceOf(NotFoundException.class);
        assertThat(openAi().chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("gemma3:4b")
                                .addUserMessage("hi")
                                .build())
                        .model())
                .isEqualTo("gemma3:4b");
        assertThat(ollama.requests("/v1/chat/completions")).hasSize(before + 1);
    }

    @Test
    void aNodeThatCannotBeAskedKeepsItsModels_andUnknownNodesAre404() {
        try (FakeUpstream broken = new FakeUpstream()) {
            OpenAiWireFake.install(broken, List.of("kept-model"), false);
            long id = gw.createNode("disc-broken", "discbroken", "openai", broken.baseUrl() + "/v1");
            HttpResponse<String> first = gw.admin("POST", "/admin/nodes/" + id + "/models/sync", null);
            assertThat(Json.parse(first.body()).get("outcome").asText()).isEqualTo("synced");
            broken.on("GET", "/v1/models", FakeUpstream.Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));
            HttpResponse<String> second = gw.admin("POST", "/admin/nodes/" + id + "/models/sync", null);
            JsonNode result = Json.parse(second.body());
            assertThat(result.get("outcome").asText()).isEqualTo("failed");
            assertThat(result.get("error").asText()).isNotBlank();
            assertThat(model(models(id), "kept-model").get("is_available").asBoolean())
                    .isTrue();
            gw.admin("DELETE", "/admin/nodes/" + id, null);
        }
        assertThat(gw.admin("POST", "/admin/nodes/999999/models/sync", null).statusCode())
                .isEqualTo(404);
        assertThat(gw.admin("GET", "/admin/nodes/999999/models", null).statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(2)
    void aModelPulledThroughTheGatewayIsResyncedWithoutWaitingForTheNextRun() throws Exception {
        gw.admin("POST", "/admin/nodes/" + ollamaId + "/models/sync", null);
        ollamaModels.add("phi4:14b"); // what the pull leaves on the node
        HttpResponse<String> pull = gw.call(
                "POST", "/api/pull", Gateway.ADMIN_TOKEN, "{\"name\":\"node:discollama:phi4:14b\",\"stream\":false}");
        assertThat(pull.statusCode()).as(pull.body()).isEqualTo(200);
        long deadline = System.nanoTime() + 10_000_000_000L;
        boolean listed = false;
        while (!listed && System.nanoTime() < deadline) {
            for (JsonNode m : models(ollamaId)) {
                listed |= m.get("name").asText().equals("phi4:14b")
                        && m.get("is_available").asBoolean();
            }
            Thread.sleep(50);
        }
        assertThat(listed).isTrue();
        assertThat(v1Models()).contains("phi4:14b");
        ollamaModels.remove("phi4:14b");
        gw.admin("POST", "/admin/nodes/" + ollamaId + "/models/sync", null);
    }

    @Test
    void syncsAreAudited() {
        int before = gw.bean(AuditLogRepository.class)
                .findByActionOrderByIdDesc("sync_node_models")
                .size();
        gw.admin("POST", "/admin/nodes/" + vllmId + "/models/sync", null);
        List<AuditLogEntity> rows = gw.bean(AuditLogRepository.class).findByActionOrderByIdDesc("sync_node_models");
        assertThat(rows).hasSize(before + 1);
        assertThat(rows.get(0).entityId()).isEqualTo(Long.toString(vllmId));
        assertThat(rows.get(0).details()).contains("disc-vllm").contains("synced");
    }
}
