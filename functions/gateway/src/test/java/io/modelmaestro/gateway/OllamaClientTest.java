package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import io.github.ollama4j.Ollama;
import io.github.ollama4j.exceptions.OllamaException;
import io.github.ollama4j.models.chat.OllamaChatMessage;
import io.github.ollama4j.models.chat.OllamaChatMessageRole;
import io.github.ollama4j.models.chat.OllamaChatRequest;
import io.github.ollama4j.models.chat.OllamaChatResponseModel;
import io.github.ollama4j.models.chat.OllamaChatResult;
import io.github.ollama4j.models.generate.OllamaGenerateRequest;
import io.github.ollama4j.models.generate.OllamaGenerateStreamObserver;
import io.github.ollama4j.models.ps.ModelProcessesResult;
import io.github.ollama4j.models.request.ThinkMode;
import io.github.ollama4j.models.response.Model;
import io.github.ollama4j.models.response.ModelDetail;
import io.github.ollama4j.models.response.OllamaResult;
import io.github.ollama4j.tools.Tools;
import io.github.ollama4j.utils.OptionsBuilder;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OllamaWireFake;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.ActivityLogEntity;
import io.modelmaestro.persistence.ActivityLogRepository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real Ollama client (ollama4j; langchain4j-ollama for {@code /api/embed}, which ollama4j sends without the
 * bearer token) against the gateway's Ollama API, with two node types behind it: a fake Ollama node speaking native
 * NDJSON (the passthrough path) and a fake OpenAI-compatible node (the canonical path). Every case runs against
 * both.
 */
class OllamaClientTest {

    /** The first bytes of a JPEG, so the media-type sniffing has something to find. */
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F'};

    static FakeUpstream ollamaNode;
    static FakeUpstream openAiNode;
    static Gateway gw;
    static String token;

    @BeforeAll
    static void start() {
        ollamaNode = OllamaWireFake.install(
                new FakeUpstream(), List.of("llama3.2:latest", "nomic-embed-text:latest", "qwen3:8b"));
        // ollamaStyle: reasoning arrives in the "reasoning" delta field, as vLLM's reasoning parsers send it too.
        openAiNode = OpenAiWireFake.install(new FakeUpstream(), List.of("Qwen/Qwen2.5-Coder-32B", "BAAI/bge-m3"), true);
        gw = Gateway.start();
        long o = gw.createNode("gpu-ollama", "gpu1", "ollama", ollamaNode.baseUrl());
        long v = gw.createNode("vllm-box", "vllm1", "openai", openAiNode.baseUrl() + "/v1");
        mapping("llama", "llama3.2:latest", o, "32K", List.of("completion", "tools", "vision"));
        mapping("coder", "Qwen/Qwen2.5-Coder-32B", v, null, List.of());
        gw.map("embed", "nomic-embed-text:latest", o);
        gw.map("vembed", "BAAI/bge-m3", v);
        token = gw.createUser("olga");
    }

    static void mapping(String display, String real, long node, String context, List<String> capabilities) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("display_name", display);
        body.put("real_name", real);
        body.put("node_ids", List.of(node));
        if (context != null) {
            body.put("context_length", context);
        }
        if (!capabilities.isEmpty()) {
            body.put("capabilities", capabilities);
        }
        HttpResponse<String> r = gw.admin("POST", "/admin/model-mappings", Json.writeString(body));
        assertThat(r.statusCode()).as(r.body()).isLessThan(300);
    }

    @AfterAll
    static void stop() {
        gw.close();
        ollamaNode.close();
        openAiNode.close();
    }

    /** (display name, node type behind it, real name, the answer its fake gives). */
    static Stream<Arguments> nodes() {
        return Stream.of(
                Arguments.of("llama", "ollama", "llama3.2:latest", OllamaWireFake.ANSWER),
                Arguments.of("coder", "openai", "Qwen/Qwen2.5-Coder-32B", OpenAiWireFake.ANSWER));
    }

    static Ollama client() {
        Ollama ollama = new Ollama(gw.baseUrl());
        ollama.setBearerAuth(token);
        ollama.setRequestTimeoutSeconds(30);
        return ollama;
    }

    static FakeUpstream node(String type) {
        return type.equals("ollama") ? ollamaNode : openAiNode;
    }

    static String chatPath(String type) {
        return type.equals("ollama") ? "/api/chat" : "/v1/chat/completions";
    }

    static JsonNode lastBody(String type, String path) {
        List<FakeUpstream.Recorded> seen = node(type).requests(path);
        assertThat(seen).as("requests to " + path).isNotEmpty();
        return Json.parse(seen.get(seen.size() - 1).body());
    }

    static OllamaChatRequest chatRequest(String model, String prompt) {
        return OllamaChatRequest.builder()
                .withModel(model)
                .withThinking(ThinkMode.DISABLED)
                .withMessage(OllamaChatMessageRole.USER, prompt)
                .build();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("nodes")
    void chat_nonStreaming_answersInOllamaShapeWithUsage(String display, String type, String real, String answer)
            throws Exception {
        OllamaChatResult result = client().chat(chatRequest(display, "Say hello"), null);

        OllamaChatResponseModel response = result.getResponseModel();
        assertThat(response.getMessage().getResponse()).isEqualTo(answer);
        assertThat(response.getModel()).isEqualTo(display);
        assertThat(response.isDone()).isTrue();
        assertThat(response.getDoneReason()).isEqualTo("stop");
        assertThat(response.getPromptEvalCount()).isEqualTo(12);
        assertThat(response.getEvalCount()).isEqualTo(7);
        assertThat(response.getTotalDuration()).isPositive();
        assertThat(response.getCreatedAt()).isNotBlank();
        JsonNode upstream = lastBody(type, chatPath(type));
        assertThat(upstream.get("model").asText()).isEqualTo(real);
        assertThat(upstream.get("stream").asBoolean()).isFalse();
        assertThat(node(type)
                        .requests()
                        .get(node(type).requests().size() - 1)
                        .headers()
                        .values())
                .noneMatch(h -> h.contains(token));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("nodes")
    void chat_streaming_deliversEveryPieceThenADoneLine(String display, String type, String real, String answer)
            throws Exception {
        List<OllamaChatResponseModel> chunks = new CopyOnWriteArrayList<>();
        OllamaChatResult result = client().chat(chatRequest(display, "Say hello"), chunks::add);

        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.getMessage().getResponse()));
        assertThat(text.toString()).isEqualTo(answer);
        assertThat(chunks.size()).isGreaterThan(2);
        assertThat(chunks).allSatisfy(c -> assertThat(c.getModel()).isEqualTo(display));
        OllamaChatResponseModel last = chunks.get(chunks.size() - 1);
        assertThat(last.isDone()).isTrue();
        assertThat(last.getDoneReason()).isEqualTo("stop");
        assertThat(last.getPromptEvalCount()).isEqualTo(12);
        assertThat(last.getEvalCount()).isEqualTo(7);
        assertThat(last.getEvalDuration()).isNotNull();
        assertThat(chunks.subList(0, chunks.size() - 1))
                .allSatisfy(c -> assertThat(c.isDone()).isFalse());
        assertThat(result.getResponseModel().isDone()).isTrue();
        assertThat(lastBody(type, chatPath(type)).get("model").asText()).isEqualTo(real);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("nodes")
    void generate_nonStreamingAndStreaming(String display, String type, String real, String answer) throws Exception {
        OllamaResult unary = client().generate(
                        OllamaGenerateRequest.builder()
                                .withModel(display)
                                .withPrompt("Say hello")
                                .withSystem("You are terse.")
                                .withThink(ThinkMode.DISABLED)
                                .build(),
                        null);
        assertThat(unary.getResponse()).isEqualTo(answer);
        assertThat(unary.getModel()).isEqualTo(display);
        assertThat(unary.getDoneReason()).isEqualTo("stop");
        assertThat(unary.getPromptEvalCount()).isEqualTo(12);
        assertThat(unary.getEvalCount()).isEqualTo(7);
        if (type.equals("ollama")) {
            JsonNode up = lastBody(type, "/api/generate");
            assertThat(up.get("prompt").asText()).isEqualTo("Say hello");
            assertThat(up.get("system").asText()).isEqualTo("You are terse.");
        } else {
            // The prompt and system become a chat request.
            JsonNode up = lastBody(type, "/v1/chat/completions");
            assertThat(up.at("/messages/0/role").asText()).isEqualTo("system");
            assertThat(up.at("/messages/0/content").asText()).isEqualTo("You are terse.");
            assertThat(up.at("/messages/1/role").asText()).isEqualTo("user");
            assertThat(up.at("/messages/1/content").asText()).isEqualTo("Say hello");
        }

        List<String> pieces = new CopyOnWriteArrayList<>();
        OllamaResult streamed = client().generate(
                        OllamaGenerateRequest.builder()
                                .withModel(display)
                                .withPrompt("Say hello")
                                .withThink(ThinkMode.DISABLED)
                                .build(),
                        new OllamaGenerateStreamObserver(null, pieces::add));
        assertThat(String.join("", pieces)).isEqualTo(answer);
        assertThat(pieces.size()).isGreaterThan(2);
        assertThat(streamed.getResponse()).isEqualTo(answer);
        assertThat(lastBody(type, type.equals("ollama") ? "/api/generate" : "/v1/chat/completions")
                        .get("stream")
                        .asBoolean())
                .isTrue();
    }

    @ParameterizedTest(name = "{1} stream={4}")
    @MethodSource("toolCases")
    void tools_callTheClientsFunctionAndSendTheResultBack(
            String display, String type, String real, String answer, boolean stream) throws Exception {
        List<Map<String, Object>> calls = new CopyOnWriteArrayList<>();
        Tools.Tool weather = Tools.Tool.builder()
                .toolSpec(Tools.ToolSpec.builder()
                        .name("get_weather")
                        .description("Current weather in a city")
                        .parameters(Tools.Parameters.of(Map.of(
                                "city",
                                Tools.Property.builder()
                                        .type("string")
                                        .description("the city")
                                        .required(true)
                                        .build())))
                        .build())
                .toolFunction(args -> {
                    calls.add(args);
                    return "18C and sunny";
                })
                .build();
        OllamaChatRequest request = OllamaChatRequest.builder()
                .withModel(display)
                .withThinking(ThinkMode.DISABLED)
                .withMessage(OllamaChatMessageRole.USER, "What is the weather in Paris?")
                .withTools(new ArrayList<>(List.of(weather)))
                .withUseTools(true)
                .build();

        List<OllamaChatResponseModel> chunks = new CopyOnWriteArrayList<>();
        OllamaChatResult result = client().chat(request, stream ? chunks::add : null);

        // The model's tool call reached the client as a call with an arguments object, and the client ran it.
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0)).containsEntry("city", "Paris");
        // The client sent the result back and got the model's final answer.
        assertThat(result.getResponseModel().getMessage().getResponse()).contains("18C and sunny");
        List<FakeUpstream.Recorded> seen = node(type).requests(chatPath(type));
        JsonNode first = Json.parse(seen.get(seen.size() - 2).body());
        JsonNode second = Json.parse(seen.get(seen.size() - 1).body());
        assertThat(first.at("/tools/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(first.at("/tools/0/function/parameters/properties/city/type").asText())
                .isEqualTo("string");
        boolean sawResult = false;
        for (JsonNode m : second.get("messages")) {
            if (m.path("role").asText().equals("tool")) {
                assertThat(m.path("content").asText()).contains("18C and sunny");
                if (type.equals("openai")) {
                    assertThat(m.path("tool_call_id").asText()).isNotBlank();
                }
                sawResult = true;
            }
        }
        assertThat(sawResult).isTrue();
    }

    static Stream<Arguments> toolCases() {
        return nodes().flatMap(a -> Stream.of(
                Arguments.of(a.get()[0], a.get()[1], a.get()[2], a.get()[3], false),
                Arguments.of(a.get()[0], a.get()[1], a.get()[2], a.get()[3], true)));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("nodes")
    void images_reachTheNodeInItsOwnFormat(String display, String type, String real, String answer) throws Exception {
        String b64 = Base64.getEncoder().encodeToString(JPEG);
        List<OllamaChatMessage> messages = new ArrayList<>();
        messages.add(new OllamaChatMessage(
                OllamaChatMessageRole.USER, "What is in this picture?", null, null, List.of(JPEG)));
        OllamaChatRequest request = OllamaChatRequest.builder()
                .withModel(display)
                .withThinking(ThinkMode.DISABLED)
                .withMessages(messages)
                .build();
        OllamaChatResult result = client().chat(request, null);
        assertThat(result.getResponseModel().getMessage().getResponse()).isEqualTo(answer);
        JsonNode up = lastBody(type, chatPath(type));
        if (type.equals("ollama")) {
            assertThat(up.at("/messages/0/images/0").asText()).isEqualTo(b64);
        } else {
            assertThat(up.at("/messages/0/content/0/type").asText()).isEqualTo("text");
            assertThat(up.at("/messages/0/content/1/type").asText()).isEqualTo("image_url");
            assertThat(up.at("/messages/0/content/1/image_url/url").asText())
                    .isEqualTo("data:image/jpeg;base64," + b64);
        }

        OllamaResult generated = client().generate(
                        OllamaGenerateRequest.builder()
                                .withModel(display)
                                .withPrompt("Describe it")
                                .withImagesBase64(List.of(b64))
                                .withThink(ThinkMode.DISABLED)
                                .build(),
                        null);
        assertThat(generated.getResponse()).isEqualTo(answer);
        if (type.equals("ollama")) {
            assertThat(lastBody(type, "/api/generate").at("/images/0").asText()).isEqualTo(b64);
        } else {
            assertThat(lastBody(type, "/v1/chat/completions")
                            .at("/messages/0/content/1/image_url/url")
                            .asText())
                    .isEqualTo("data:image/jpeg;base64," + b64);
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("nodes")
    void thinking_comesBackAsMessageThinking(String display, String type, String real, String answer) throws Exception {
        OllamaChatRequest request = OllamaChatRequest.builder()
                .withModel(display)
                .withThinking(ThinkMode.ENABLED)
                .withMessage(OllamaChatMessageRole.USER, "Think first")
                .build();
        OllamaChatResult unary = client().chat(request, null);
        String expected = type.equals("ollama") ? OllamaWireFake.THINKING : "thinking...";
        assertThat(unary.getResponseModel().getMessage().getThinking()).isEqualTo(expected);

        List<OllamaChatResponseModel> chunks = new CopyOnWriteArrayList<>();
        client().chat(
                        OllamaChatRequest.builder()
                                .withModel(display)
                                .withThinking(ThinkMode.ENABLED)
                                .withMessage(OllamaChatMessageRole.USER, "Think first")
                                .build(),
                        chunks::add);
        StringBuilder thinking = new StringBuilder();
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> {
            if (c.getMessage().getThinking() != null) {
                thinking.append(c.getMessage().getThinking());
            }
            text.append(c.getMessage().getResponse());
        });
        assertThat(thinking.toString()).isEqualTo(expected);
        assertThat(text.toString()).isEqualTo(answer);
        if (type.equals("openai")) {
            // think: false means no thinking goes back, whatever the upstream produced.
            OllamaChatResult off = client().chat(chatRequest(display, "No thinking"), null);
            assertThat(off.getResponseModel().getMessage().getThinking()).isNull();
        }
    }

    @Test
    void options_and_format_mapToTheOpenAiNode_andOllamaOnlyOptionsAreDropped() throws Exception {
        OllamaChatRequest request = chatRequest("coder", "Answer in JSON");
        request.setOptions(new OptionsBuilder()
                .setTemperature(0.5f)
                .setTopP(0.25f)
                .setTopK(20)
                .setNumPredict(64)
                .setSeed(42)
                .setStop("END")
                .setRepeatPenalty(1.1f)
                .setNumCtx(8192)
                .setNumGpu(2)
                .build()
                .getOptionsMap());
        request.setFormat("json");
        request.setKeepAlive("10m");
        client().chat(request, null);

        JsonNode up = lastBody("openai", "/v1/chat/completions");
        assertThat(up.get("temperature").asDouble()).isEqualTo(0.5);
        assertThat(up.get("top_p").asDouble()).isEqualTo(0.25);
        assertThat(up.get("top_k").asInt()).isEqualTo(20);
        assertThat(up.get("max_tokens").asInt()).isEqualTo(64);
        assertThat(up.get("seed").asLong()).isEqualTo(42);
        assertThat(up.at("/stop/0").asText()).isEqualTo("END");
        assertThat(up.at("/response_format/type").asText()).isEqualTo("json_object");
        // Ollama-only parameters never reach an OpenAI-compatible node.
        assertThat(up.has("options")).isFalse();
        assertThat(up.has("keep_alive")).isFalse();
        assertThat(up.has("num_ctx")).isFalse();
        assertThat(up.has("repeat_penalty")).isFalse();
        assertThat(up.has("format")).isFalse();

        OllamaGenerateRequest generate = OllamaGenerateRequest.builder()
                .withModel("coder")
                .withPrompt("A city as JSON")
                .withThink(ThinkMode.DISABLED)
                .withFormat(Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of("name", Map.of("type", "string")),
                        "required",
                        List.of("name")))
                .build();
        client().generate(generate, null);
        JsonNode schema = lastBody("openai", "/v1/chat/completions").get("response_format");
        assertThat(schema.get("type").asText()).isEqualTo("json_schema");
        assertThat(schema.at("/json_schema/schema/properties/name/type").asText())
                .isEqualTo("string");
    }

    @Test
    void ollamaNode_getsTheBodyAsSent_withTheMappingsContextAsNumCtx() throws Exception {
        OllamaChatRequest request = chatRequest("llama", "Hello");
        request.setOptions(
                new OptionsBuilder().setTemperature(0.5f).setNumGpu(2).build().getOptionsMap());
        request.setKeepAlive("10m");
        client().chat(request, null);
        JsonNode up = lastBody("ollama", "/api/chat");
        assertThat(up.get("model").asText()).isEqualTo("llama3.2:latest");
        assertThat(up.get("keep_alive").asText()).isEqualTo("10m");
        assertThat(up.at("/options/num_gpu").asInt()).isEqualTo(2);
        // The mapping says 32K: the node runs with that window unless the client chose one.
        assertThat(up.at("/options/num_ctx").asInt()).isEqualTo(32768);

        request = chatRequest("llama", "Hello");
        request.setOptions(new OptionsBuilder().setNumCtx(4096).build().getOptionsMap());
        client().chat(request, null);
        assertThat(lastBody("ollama", "/api/chat").at("/options/num_ctx").asInt())
                .isEqualTo(4096);
    }

    @Test
    void embed_throughLangchain4j_onBothNodeTypes() {
        for (String model : List.of("embed", "vembed")) {
            OllamaEmbeddingModel embedder = OllamaEmbeddingModel.builder()
                    .baseUrl(gw.baseUrl())
                    .modelName(model)
                    .customHeaders(Map.of("Authorization", "Bearer " + token))
                    .maxRetries(0)
                    .timeout(Duration.ofSeconds(30))
                    .build();
            List<Embedding> vectors = embedder.embedAll(List.of(TextSegment.from("one"), TextSegment.from("two")))
                    .content();
            assertThat(vectors).as(model).hasSize(2);
            assertThat(vectors.get(0).vector()).as(model).hasSize(3);
            assertThat(vectors.get(0).vector()[0]).isNotEqualTo(vectors.get(1).vector()[0]);
        }
        assertThat(lastBody("ollama", "/api/embed").get("model").asText()).isEqualTo("nomic-embed-text:latest");
        JsonNode up = lastBody("openai", "/v1/embeddings");
        assertThat(up.get("model").asText()).isEqualTo("BAAI/bge-m3");
        assertThat(up.get("input")).hasSize(2);
    }

    @Test
    void embed_answerShape_andTheOlderEmbeddingsEndpoint_onBothNodeTypes() {
        for (String model : List.of("embed", "vembed")) {
            HttpResponse<String> r =
                    call("POST", "/api/embed", token, "{\"model\":\"" + model + "\",\"input\":[\"a\",\"b\",\"c\"]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = Json.parse(r.body());
            assertThat(body.get("model").asText()).isEqualTo(model);
            assertThat(body.get("embeddings")).hasSize(3);
            assertThat(body.get("prompt_eval_count").asInt()).isPositive();
            assertThat(body.has("total_duration")).isTrue();

            HttpResponse<String> legacy =
                    call("POST", "/api/embeddings", token, "{\"model\":\"" + model + "\",\"prompt\":\"hello\"}");
            assertThat(legacy.statusCode()).as(legacy.body()).isEqualTo(200);
            assertThat(Json.parse(legacy.body()).get("embedding")).hasSize(3);
        }
        assertThat(lastBody("ollama", "/api/embeddings").get("prompt").asText()).isEqualTo("hello");
        assertThat(lastBody("openai", "/v1/embeddings").get("input").asText()).isEqualTo("hello");
    }

    @Test
    void tags_listDisplayNamesOnce_withTheOllamaNodesDetails() throws Exception {
        List<Model> models = client().listModels();
        List<String> names = models.stream().map(Model::getName).toList();
        assertThat(names).contains("llama", "coder", "embed", "vembed", "qwen3:8b");
        assertThat(names).doesNotHaveDuplicates();
        // A mapped real name is listed only by its display name.
        assertThat(names).doesNotContain("llama3.2:latest", "Qwen/Qwen2.5-Coder-32B", "nomic-embed-text:latest");
        Model llama = models.stream()
                .filter(m -> m.getName().equals("llama"))
                .findFirst()
                .orElseThrow();
        assertThat(llama.getModel()).isEqualTo("llama");
        assertThat(llama.getSize()).isEqualTo(2019393189L);
        assertThat(llama.getDigest()).isEqualTo(OllamaWireFake.digest("llama3.2:latest"));
        assertThat(llama.getModifiedAt()).isNotNull();
        Model coder = models.stream()
                .filter(m -> m.getName().equals("coder"))
                .findFirst()
                .orElseThrow();
        assertThat(coder.getModifiedAt()).isNotNull();
        assertThat(client().ping()).isTrue();
    }

    @Test
    void show_usesTheMappingsCapabilitiesAndContextLength() throws Exception {
        ModelDetail llama = client().getModelDetails("llama");
        assertThat(llama.getCapabilities()).containsExactly("completion", "tools", "vision");
        assertThat(llama.getDetails().getFamily()).isEqualTo("llama");
        assertThat(lastBody("ollama", "/api/show").get("model").asText()).isEqualTo("llama3.2:latest");
        JsonNode raw = Json.parse(
                call("POST", "/api/show", token, "{\"model\":\"llama\"}").body());
        assertThat(raw.at("/model_info/llama.context_length").asInt()).isEqualTo(32768);

        // An OpenAI-compatible node: made up, with the context length from its /v1/models.
        ModelDetail coder = client().getModelDetails("coder");
        assertThat(coder.getCapabilities()).containsExactly("completion", "tools");
        JsonNode coderRaw = Json.parse(
                call("POST", "/api/show", token, "{\"name\":\"coder\"}").body());
        String arch = coderRaw.at("/model_info/general.architecture").asText();
        assertThat(coderRaw.at("/model_info/" + arch + ".context_length").asInt())
                .isEqualTo(32768);

        HttpResponse<String> missing = call("POST", "/api/show", token, "{\"model\":\"no-such-model\"}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Json.parse(missing.body()).get("error").asText()).contains("model 'no-such-model' not found");
        assertThatThrownBy(() -> client().getModelDetails("no-such-model")).isInstanceOf(OllamaException.class);
    }

    @Test
    void routes_matchWhateverTheClientAccepts() {
        // Example failure this prevents: with "Accept: application/json" the catch-all 404 route (which declared
        // JSON) won over every route that produces anything, so ollama4j's /api/show and curl -H Accept got 404s.
        for (String accept : List.of("application/json", "application/x-ndjson", "*/*")) {
            for (String[] call : new String[][] {
                {"/api/show", "{\"model\":\"llama\"}"},
                {
                    "/api/chat",
                    "{\"model\":\"coder\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"
                },
                {"/v1/embeddings", "{\"model\":\"vembed\",\"input\":\"x\"}"}
            }) {
                HttpRequest req = HttpRequest.newBuilder(URI.create(gw.baseUrl() + call[0]))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", accept)
                        .POST(HttpRequest.BodyPublishers.ofString(call[1]))
                        .build();
                try {
                    HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode())
                            .as(accept + " " + call[0] + " " + r.body())
                            .isEqualTo(200);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        HttpRequest unknown = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/nothing-here"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        try {
            assertThat(HTTP.send(unknown, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(404);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void ps_and_version() throws Exception {
        ModelProcessesResult ps = client().ps();
        assertThat(ps.getModels())
                .extracting(ModelProcessesResult.ModelProcess::getName)
                .containsExactly("llama");
        assertThat(ps.getModels().get(0).getSizeVram()).isEqualTo(5137025024L);
        assertThat(client().getVersion()).isEqualTo("0.12.6");
    }

    @Test
    void root_answersLikeOllama_withoutAToken() {
        HttpResponse<String> root = call("GET", "/", null, null);
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.body()).isEqualTo("Ollama is running");
        assertThat(root.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        assertThat(call("HEAD", "/", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void errors_areOllamaShaped_andBadRequestsNeverReachANode() {
        int before = ollamaNode.requests().size() + openAiNode.requests().size();

        HttpResponse<String> unknownNode = call(
                "POST",
                "/api/chat",
                token,
                "{\"model\":\"node:nosuch:m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(unknownNode.statusCode()).isEqualTo(404);
        assertThat(Json.parse(unknownNode.body()).get("error").asText()).isEqualTo("Node with code 'nosuch' not found");
        assertThat(ollamaNode.requests().size() + openAiNode.requests().size()).isEqualTo(before);

        // The Ollama node does not have it: its 404 is the client's.
        HttpResponse<String> unknown = call(
                "POST",
                "/api/chat",
                token,
                "{\"model\":\"node:gpu1:nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Json.parse(unknown.body()).get("error").asText()).contains("not found");
        before = ollamaNode.requests().size() + openAiNode.requests().size();

        for (String bad : List.of(
                "{not json",
                "{\"messages\":[]}",
                "{\"model\":\"llama\",\"messages\":{}}",
                "{\"model\":\"llama\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}",
                "{\"model\":\"llama\",\"messages\":[],\"options\":{\"temperature\":\"hot\"}}",
                "{\"model\":\"coder\",\"messages\":[],\"format\":\"yaml\"}",
                "{\"model\":\"coder\",\"messages\":[],\"think\":\"very\"}",
                "{\"model\":\"coder\",\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"images\":[1]}]}")) {
            HttpResponse<String> r = call("POST", "/api/chat", token, bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(Json.parse(r.body()).get("error").asText()).as(bad).isNotBlank();
        }
        HttpResponse<String> badEmbed = call("POST", "/api/embed", token, "{\"model\":\"embed\",\"input\":[1,2]}");
        assertThat(badEmbed.statusCode()).isEqualTo(400);
        assertThat(ollamaNode.requests().size() + openAiNode.requests().size()).isEqualTo(before);

        HttpResponse<String> noToken = call("POST", "/api/chat", null, "{}");
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(Json.parse(noToken.body()).get("error").asText()).isNotBlank();
        HttpResponse<String> adminOnChat = call("GET", "/api/tags", Gateway.ADMIN_TOKEN, null);
        assertThat(adminOnChat.statusCode()).isEqualTo(403);
        assertThat(Json.parse(adminOnChat.body()).has("error")).isTrue();
        HttpResponse<String> noRoute = call("GET", "/api/blobs/sha256:abc", token, null);
        assertThat(noRoute.statusCode()).isEqualTo(404);
        assertThat(Json.parse(noRoute.body()).has("error")).isTrue();
    }

    @Test
    void emptyPrompt_loadsTheModel_withoutGeneratingAnything() {
        for (String model : List.of("llama", "coder")) {
            HttpResponse<String> r =
                    call("POST", "/api/generate", token, "{\"model\":\"" + model + "\",\"stream\":false}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = Json.parse(r.body());
            assertThat(body.get("done_reason").asText()).isEqualTo("load");
            assertThat(body.get("model").asText()).isEqualTo(model);
        }
    }

    @Test
    void aStreamThatBreaksAfterTheFirstLine_endsWithAnErrorLine() throws Exception {
        try (FakeUpstream broken = new FakeUpstream()) {
            String line = "{\"model\":\"m\",\"created_at\":\"" + OllamaWireFake.CREATED_AT
                    + "\",\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"done\":false}\n";
            broken.on(
                    "POST",
                    "/api/chat",
                    new FakeUpstream.Reply(
                                    200,
                                    "application/x-ndjson",
                                    Map.of(),
                                    List.of(line, line),
                                    Duration.ZERO,
                                    Duration.ofMillis(20),
                                    false)
                            .thenAbort());
            long id = gw.createNode("broken", "broken", "ollama", broken.baseUrl());
            HttpResponse<String> r;
            try {
                r = call(
                        "POST",
                        "/api/chat",
                        token,
                        "{\"model\":\"node:broken:m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
            } finally {
                gw.admin("DELETE", "/admin/nodes/" + id, null);
            }
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/x-ndjson");
            String[] lines = r.body().split("\n");
            assertThat(Json.parse(lines[0]).at("/message/content").asText()).isEqualTo("Hel");
            assertThat(Json.parse(lines[0]).get("model").asText()).isEqualTo("node:broken:m");
            assertThat(Json.parse(lines[lines.length - 1]).get("error").asText())
                    .isNotBlank();
        }
    }

    @Test
    void everyRequest_leavesOneActivityRowWithTokens() throws Exception {
        // Rows are found by what they are, not by position: a stream of an earlier test may be recorded late.
        long before = newestId();
        client().chat(chatRequest("coder", "count me"), null);
        ActivityLogEntity row = newRow(before, "coder");
        assertThat(row.modelName()).isEqualTo("coder");
        assertThat(row.nodeName()).isEqualTo("vllm-box");
        assertThat(row.requestType()).isEqualTo("chat");
        assertThat(row.source()).isEqualTo("Ollama Native");
        assertThat(row.statusCode()).isEqualTo(200);
        assertThat(row.promptTokens()).isEqualTo(12);
        assertThat(row.completionTokens()).isEqualTo(7);

        before = newestId();
        client().chat(chatRequest("llama", "count me"), list -> {});
        row = newRow(before, "llama");
        assertThat(row.modelName()).isEqualTo("llama");
        assertThat(row.nodeName()).isEqualTo("gpu-ollama");
        assertThat(row.streamed()).isTrue();
        assertThat(row.promptTokens()).isEqualTo(12);
        assertThat(row.completionTokens()).isEqualTo(7);
    }

    @Test
    void native_answers_carry_the_request_id_of_their_activity_row() {
        for (boolean stream : new boolean[] {false, true}) {
            HttpResponse<String> r = call(
                    "POST",
                    "/api/chat",
                    token,
                    "{\"model\":\"llama\",\"stream\":" + stream
                            + ",\"messages\":[{\"role\":\"user\",\"content\":\"which row\"}]}");
            assertThat(r.statusCode()).isEqualTo(200);
            String id = r.headers().firstValue("x-request-id").orElseThrow();
            // Anthropic's header name is for the Anthropic routes only.
            assertThat(r.headers().firstValue("request-id")).isEmpty();
            ActivityLogEntity row =
                    gw.awaitActivity(a -> a.requestId().toString().equals(id));
            assertThat(row.streamed()).isEqualTo(stream);
            assertThat(row.urlPath()).isEqualTo("/api/chat");
        }
    }

    static long newestId() {
        gw.flushActivity();
        List<ActivityLogEntity> rows = gw.bean(ActivityLogRepository.class).findAllOrderByIdDesc();
        Long id = rows.isEmpty() ? null : rows.get(0).id();
        return id == null ? 0 : id;
    }

    /** The row after {@code after} for {@code model}, once the gateway has recorded it. */
    static ActivityLogEntity newRow(long after, String model) {
        return gw.awaitActivity(
                r -> r.id() != null && r.id() > after && r.modelName().equals(model));
    }

    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    static HttpResponse<String> call(String method, String path, String bearer, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
