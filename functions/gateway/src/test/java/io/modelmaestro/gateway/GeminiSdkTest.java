package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ApiException;
import com.google.genai.types.Content;
import com.google.genai.types.CountTokensResponse;
import com.google.genai.types.FinishReason;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.Model;
import com.google.genai.types.Part;
import com.google.genai.types.Schema;
import com.google.genai.types.Tool;
import com.google.genai.types.Type;
import io.modelmaestro.gateway.support.AnthropicWireFake;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.ActivityLogEntity;
import io.modelmaestro.persistence.ActivityLogRepository;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Google Gen AI Java SDK against the gateway's Gemini surface, on every kind of node: a fake Anthropic node, a
 * fake OpenAI-compatible server (vLLM-like) and a fake Ollama node (its /v1 layer). The SDK is pointed at the gateway
 * with {@code HttpOptions.baseUrl} and the user's token as its API key (sent as {@code x-goog-api-key}).
 */
class GeminiSdkTest {

    static FakeUpstream claude;
    static FakeUpstream vllm;
    static FakeUpstream ollama;
    static Gateway gw;
    static String token;

    @BeforeAll
    static void start() {
        claude = AnthropicWireFake.install(new FakeUpstream(), List.of("claude-sonnet-4-5"));
        vllm = OpenAiWireFake.install(new FakeUpstream(), List.of("Qwen/Qwen2.5-Coder-32B"), false);
        ollama = OpenAiWireFake.install(new FakeUpstream(), List.of("llama3.2:latest"), true);
        gw = Gateway.start();
        long a = AnthropicSdkTest.node(gw, "claude-node", "ant", "anthropic", claude.baseUrl(), "sk-ant-node");
        long v = AnthropicSdkTest.node(gw, "vllm-box", "vllm1", "openai", vllm.baseUrl() + "/v1", "sk-vllm-key");
        long o = gw.createNode("gpu-ollama", "gpu1", "ollama", ollama.baseUrl());
        AnthropicSdkTest.map(gw, "sonnet", "claude-sonnet-4-5", a, List.of());
        AnthropicSdkTest.map(gw, "coder", "Qwen/Qwen2.5-Coder-32B", v, List.of("tools", "thinking"));
        AnthropicSdkTest.map(gw, "llama", "llama3.2:latest", o, List.of());
        token = gw.createUser("gemma");
    }

    @AfterAll
    static void stop() {
        gw.close();
        claude.close();
        vllm.close();
        ollama.close();
    }

    static Client client(String key) {
        return Client.builder()
                .apiKey(key)
                .httpOptions(HttpOptions.builder().baseUrl(gw.baseUrl()).build())
                .build();
    }

    static FakeUpstream upstreamFor(String display) {
        return switch (display) {
            case "sonnet" -> claude;
            case "coder" -> vllm;
            default -> ollama;
        };
    }

    static String realOf(String display) {
        return switch (display) {
            case "sonnet" -> "claude-sonnet-4-5";
            case "coder" -> "Qwen/Qwen2.5-Coder-32B";
            default -> "llama3.2:latest";
        };
    }

    static JsonNode lastSent(String display) {
        String path = display.equals("sonnet") ? "/v1/messages" : "/v1/chat/completions";
        List<FakeUpstream.Recorded> calls = upstreamFor(display).requests(path);
        assertThat(calls).isNotEmpty();
        return Json.parse(calls.get(calls.size() - 1).body());
    }

    static String answerOf(String display) {
        return display.equals("sonnet") ? AnthropicWireFake.ANSWER : OpenAiWireFake.ANSWER;
    }

    /** Anthropic's fake reports 20 uncached + 100 cache reads + 5 cache writes in, 9 out; the OpenAI fake 12/7. */
    static void assertUsage(String display, GenerateContentResponseUsageMetadata usage) {
        if (display.equals("sonnet")) {
            assertThat(usage.promptTokenCount()).contains(125);
            assertThat(usage.candidatesTokenCount()).contains(9);
            assertThat(usage.totalTokenCount()).contains(134);
            assertThat(usage.cachedContentTokenCount()).contains(100);
        } else {
            assertThat(usage.promptTokenCount()).contains(12);
            assertThat(usage.candidatesTokenCount()).contains(7);
            assertThat(usage.totalTokenCount()).contains(19);
        }
    }

    static List<ActivityLogEntity> rows() {
        gw.flushActivity();
        return gw.bean(ActivityLogRepository.class).findAllOrderByIdDesc();
    }

    static Tool weatherTool() {
        return Tool.builder()
                .functionDeclarations(FunctionDeclaration.builder()
                        .name("get_weather")
                        .description("Current weather")
                        .parameters(Schema.builder()
                                .type(Type.Known.OBJECT)
                                .properties(Map.of(
                                        "city",
                                        Schema.builder().type(Type.Known.STRING).build()))
                                .required("city")
                                .build())
                        .build())
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sonnet", "coder", "llama"})
    void generateContent_onEveryNodeType(String display) {
        int before = rows().size();
        GenerateContentConfig config = GenerateContentConfig.builder()
                .systemInstruction(Content.fromParts(Part.fromText("Be brief.")))
                .temperature(0.5f)
                .maxOutputTokens(256)
                .build();
        try (Client client = client(token)) {
            GenerateContentResponse r = client.models.generateContent(display, "Say hello", config);

            assertThat(r.text()).isEqualTo(answerOf(display));
            assertThat(r.modelVersion()).contains(display);
            assertThat(r.finishReason().knownEnum()).isEqualTo(FinishReason.Known.STOP);
            assertThat(r.usageMetadata()).isPresent();
            assertUsage(display, r.usageMetadata().get());
        }
        JsonNode sent = lastSent(display);
        assertThat(sent.get("model").asText()).isEqualTo(realOf(display));
        assertThat(sent.get("temperature").asDouble()).isEqualTo(0.5);
        if (display.equals("sonnet")) {
            assertThat(Json.writeString(sent.get("system"))).contains("Be brief.");
            assertThat(sent.get("max_tokens").asInt()).isEqualTo(256);
        } else {
            assertThat(sent.at("/messages/0/role").asText()).isEqualTo("system");
            assertThat(sent.at("/messages/0/content").asText()).isEqualTo("Be brief.");
            assertThat(sent.at("/messages/1/content").asText()).isEqualTo("Say hello");
        }
        List<ActivityLogEntity> rows = rows();
        assertThat(rows).hasSize(before + 1);
        ActivityLogEntity row = rows.get(0);
        assertThat(row.clientFormat()).isEqualTo("gemini");
        assertThat(row.requestType()).isEqualTo("generateContent");
        assertThat(row.modelName()).isEqualTo(display);
        assertThat(row.statusCode()).isEqualTo(200);
        assertThat(row.source()).isEqualTo("Gemini SDK");
        assertThat(row.completionTokens()).isEqualTo(display.equals("sonnet") ? 9 : 7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sonnet", "coder", "llama"})
    void generateContentStream_deliversChunksThenFinishAndUsage(String display) {
        int before = rows().size();
        List<GenerateContentResponse> chunks = new ArrayList<>();
        try (Client client = client(token);
                ResponseStream<GenerateContentResponse> stream =
                        client.models.generateContentStream(display, "Say hello", null)) {
            for (GenerateContentResponse chunk : stream) {
                chunks.add(chunk);
            }
        }
        assertThat(chunks.size()).isGreaterThan(2);
        StringBuilder text = new StringBuilder();
        for (GenerateContentResponse c : chunks) {
            String t = c.text();
            if (t != null) {
                text.append(t);
            }
            assertThat(c.modelVersion()).contains(display);
        }
        assertThat(text.toString()).isEqualTo(answerOf(display));
        GenerateContentResponse last = chunks.get(chunks.size() - 1);
        assertThat(last.finishReason().knownEnum()).isEqualTo(FinishReason.Known.STOP);
        assertUsage(display, last.usageMetadata().orElseThrow());
        for (GenerateContentResponse c : chunks.subList(0, chunks.size() - 1)) {
            assertThat(c.candidates().orElseThrow().get(0).finishReason()).isEmpty();
        }
        assertThat(lastSent(display).get("stream").asBoolean()).isTrue();
        List<ActivityLogEntity> rows = rows();
        assertThat(rows).hasSize(before + 1);
        assertThat(rows.get(0).requestType()).isEqualTo("streamGenerateContent");
        assertThat(rows.get(0).streamed()).isTrue();
        assertThat(rows.get(0).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sonnet", "coder", "llama"})
    void functionCall_roundTrip(String display) {
        GenerateContentConfig config =
                GenerateContentConfig.builder().tools(weatherTool()).build();
        try (Client client = client(token)) {
            Content question = Content.builder()
                    .role("user")
                    .parts(Part.fromText("Weather in Paris?"))
                    .build();
            GenerateContentResponse first = client.models.generateContent(display, List.of(question), config);

            List<FunctionCall> calls = first.functionCalls();
            assertThat(calls).hasSize(1);
            FunctionCall call = calls.get(0);
            assertThat(call.name()).contains("get_weather");
            assertThat(call.args().orElseThrow()).containsEntry("city", "Paris");
            assertThat(call.id()).isPresent();
            // Gemini's upper-case schema types reach the upstream as JSON Schema.
            JsonNode sent = lastSent(display);
            JsonNode schema = display.equals("sonnet")
                    ? sent.at("/tools/0/input_schema")
                    : sent.at("/tools/0/function/parameters");
            assertThat(schema.get("type").asText()).isEqualTo("object");
            assertThat(schema.at("/properties/city/type").asText()).isEqualTo("string");

            // The client answers by name only (as the Gemini API's own calls have no id): matched to the call.
            Content modelTurn =
                    first.candidates().orElseThrow().get(0).content().orElseThrow();
            Content answer = Content.builder()
                    .role("user")
                    .parts(Part.fromFunctionResponse("get_weather", Map.of("output", "sunny, 21 C")))
                    .build();
            GenerateContentResponse second =
                    client.models.generateContent(display, List.of(question, modelTurn, answer), config);

            assertThat(second.text()).isEqualTo("The tool said: sunny, 21 C");
            JsonNode followUp = lastSent(display);
            String callId = call.id().orElseThrow();
            if (display.equals("sonnet")) {
                assertThat(followUp.at("/messages/1/content/0/type").asText()).isEqualTo("tool_use");
                assertThat(followUp.at("/messages/1/content/0/id").asText()).isEqualTo(callId);
                assertThat(followUp.at("/messages/2/content/0/tool_use_id").asText())
                        .isEqualTo(callId);
            } else {
                assertThat(followUp.at("/messages/1/tool_calls/0/id").asText()).isEqualTo(callId);
                assertThat(followUp.at("/messages/2/role").asText()).isEqualTo("tool");
                assertThat(followUp.at("/messages/2/tool_call_id").asText()).isEqualTo(callId);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sonnet", "coder", "llama"})
    void functionCall_streamed_arrivesWhole(String display) {
        GenerateContentConfig config =
                GenerateContentConfig.builder().tools(weatherTool()).build();
        List<FunctionCall> calls = new ArrayList<>();
        FinishReason finish = null;
        try (Client client = client(token);
                ResponseStream<GenerateContentResponse> stream =
                        client.models.generateContentStream(display, "Weather in Paris?", config)) {
            for (GenerateContentResponse chunk : stream) {
                calls.addAll(chunk.functionCalls() == null ? List.of() : chunk.functionCalls());
                if (chunk.candidates().orElseThrow().get(0).finishReason().isPresent()) {
                    finish = chunk.finishReason();
                }
            }
        }
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).name()).contains("get_weather");
        assertThat(calls.get(0).args().orElseThrow()).containsEntry("city", "Paris");
        assertThat(finish).isNotNull();
        assertThat(finish.knownEnum()).isEqualTo(FinishReason.Known.STOP);
    }

    @Test
    void countTokens_estimatesAndChecksTheModel() {
        int before = rows().size();
        try (Client client = client(token)) {
            CountTokensResponse small = client.models.countTokens("coder", "Hi", null);
            CountTokensResponse large = client.models.countTokens("coder", "Hello there ".repeat(200), null);
            assertThat(small.totalTokens().orElseThrow()).isPositive();
            assertThat(large.totalTokens().orElseThrow())
                    .isGreaterThan(small.totalTokens().orElseThrow() + 400);
            // The model must resolve: a pin to a node code that does not exist is a 404.
            assertThatThrownBy(() -> client.models.countTokens("node:nope:coder", "Hi", null))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(404);
                        assertThat(e.status()).isEqualTo("NOT_FOUND");
                    });
        }
        List<ActivityLogEntity> rows = rows();
        assertThat(rows).hasSize(before + 3);
        assertThat(rows.subList(0, 3)).allMatch(r -> r.requestType().equals("countTokens"));
        assertThat(rows.subList(0, 3))
                .extracting(ActivityLogEntity::statusCode)
                .containsExactlyInAnyOrder(200, 200, 404);
    }

    @Test
    void models_listAndGet_inGeminiShape() {
        try (Client client = client(token)) {
            List<String> names = new ArrayList<>();
            for (Model m : client.models.list(
                    com.google.genai.types.ListModelsConfig.builder().build())) {
                names.add(m.name().orElseThrow());
                assertThat(m.supportedActions()).isPresent();
            }
            assertThat(names).contains("models/sonnet", "models/coder", "models/llama");

            Model coder = client.models.get("coder", null);
            assertThat(coder.name()).contains("models/coder");
            assertThat(coder.displayName()).contains("coder");
            assertThat(coder.thinking()).contains(true);

            assertThatThrownBy(() -> client.models.get("unknown-model", null))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
        }
        // With Accept: */* (curl's default) too, and one model by name.
        for (String path : List.of("/v1beta/models", "/v1beta/models/coder", "/gemini/v1beta/models/coder")) {
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(gw.baseUrl() + path))
                    .header("Accept", "*/*")
                    .header("x-goog-api-key", token)
                    .build();
            HttpResponse<String> r;
            try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
                r = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
            assertThat(r.body()).contains("models/");
        }
        // The /gemini prefix answers the same.
        HttpResponse<String> prefixed = gw.call("GET", "/gemini/v1beta/models", token, null);
        assertThat(prefixed.statusCode()).isEqualTo(200);
        assertThat(Json.parse(prefixed.body()).get("models").size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void candidateCountAboveOne_is400InGoogleShape() {
        GenerateContentConfig config =
                GenerateContentConfig.builder().candidateCount(2).build();
        try (Client client = client(token)) {
            assertThatThrownBy(() -> client.models.generateContent("coder", "Hi", config))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(400);
                        assertThat(e.status()).isEqualTo("INVALID_ARGUMENT");
                        assertThat(e.message()).contains("candidateCount");
                    });
        }
    }

    @Test
    void wrongKey_is401InGoogleShape() {
        try (Client client = client("not-a-valid-token")) {
            assertThatThrownBy(() -> client.models.generateContent("coder", "Hi", null))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(401);
                        assertThat(e.status()).isEqualTo("UNAUTHENTICATED");
                    });
        }
        HttpResponse<String> raw = gw.call("POST", "/v1beta/models/coder:generateContent", null, "{}");
        assertThat(raw.statusCode()).isEqualTo(401);
        JsonNode error = Json.parse(raw.body()).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(401);
        assertThat(error.get("status").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(error.get("message").asText()).contains("x-goog-api-key");
    }

    @Test
    void malformedRequests_are400InGoogleShape_andNeverReachAnUpstream() {
        int calls = vllm.requests().size();
        for (String body : List.of(
                "{not json",
                "{}",
                "{\"contents\":[{\"role\":\"robot\",\"parts\":[{\"text\":\"hi\"}]}]}",
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":42}]}]}",
                "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],\"generationConfig\":{\"temperature\":\"hot\"}}")) {
            HttpResponse<String> r = gw.call("POST", "/v1beta/models/coder:generateContent", token, body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            JsonNode error = Json.parse(r.body()).get("error");
            assertThat(error.get("code").asInt()).isEqualTo(400);
            assertThat(error.get("status").asText()).isEqualTo("INVALID_ARGUMENT");
            assertThat(error.get("message").asText()).isNotBlank();
        }
        HttpResponse<String> unknownMethod = gw.call("POST", "/v1beta/models/coder:embedEverything", token, "{}");
        assertThat(unknownMethod.statusCode()).isEqualTo(404);
        assertThat(Json.parse(unknownMethod.body()).at("/error/status").asText())
                .isEqualTo("NOT_FOUND");
        // Under /v1, only models/{model}:method is Gemini's; the rest stays OpenAI's 404.
        HttpResponse<String> openAi404 = gw.call("POST", "/v1/models/coder", token, "{}");
        assertThat(openAi404.statusCode()).isEqualTo(404);
        assertThat(Json.parse(openAi404.body()).at("/error/type").isTextual()).isTrue();
        assertThat(vllm.requests()).hasSize(calls);
    }

    @Test
    void v1ApiVersionAndBearerToken_work_too() {
        String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Say hello\"}]}]}";
        HttpResponse<String> r = gw.call("POST", "/v1/models/llama:generateContent", token, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.parse(r.body()).at("/candidates/0/content/parts/0/text").asText())
                .isEqualTo(OpenAiWireFake.ANSWER);
        assertThat(rows().get(0).clientFormat()).isEqualTo("gemini");
        HttpResponse<String> prefixed = gw.call("POST", "/gemini/v1/models/llama:generateContent", token, body);
        assertThat(prefixed.statusCode()).as(prefixed.body()).isEqualTo(200);
    }

    @Test
    void keyQueryParameter_authenticates_andNeverReachesTheActivityLog() {
        String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Say hello\"}]}]}";
        String key = URLEncoder.encode(token, StandardCharsets.UTF_8);
        HttpResponse<String> ok = gw.call("POST", "/gemini/v1beta/models/coder:generateContent?key=" + key, null, body);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(Json.parse(ok.body())
                        .at("/candidates/0/content/parts/0/text")
                        .asText())
                .isEqualTo(OpenAiWireFake.ANSWER);

        // ?key= is read on the Gemini routes only.
        HttpResponse<String> openAi = gw.call("GET", "/v1/models?key=" + key, null, null);
        assertThat(openAi.statusCode()).isEqualTo(401);

        HttpResponse<String> bad =
                gw.call("POST", "/v1beta/models/coder:streamGenerateContent?alt=sse&key=wrong-secret-key", null, body);
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(Json.parse(bad.body()).at("/error/status").asText()).isEqualTo("UNAUTHENTICATED");

        List<ActivityLogEntity> rows = rows();
        ActivityLogEntity refused = rows.stream()
                .filter(r -> "/v1beta/models/coder:streamGenerateContent".equals(r.urlPath()) && r.statusCode() == 401)
                .findFirst()
                .orElseThrow();
        assertThat(refused.clientFormat()).isEqualTo("gemini");
        assertThat(refused.requestType()).isEqualTo("streamGenerateContent");
        ActivityLogEntity accepted = rows.stream()
                .filter(r -> "/gemini/v1beta/models/coder:generateContent".equals(r.urlPath()))
                .findFirst()
                .orElseThrow();
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.username()).isEqualTo("gemma");
        assertThat(accepted.clientFormat()).isEqualTo("gemini");
        for (ActivityLogEntity row : rows) {
            assertThat(row.toString()).doesNotContain(token).doesNotContain("wrong-secret-key");
        }
        // Nor does it reach the upstream.
        for (FakeUpstream.Recorded r : vllm.requests()) {
            assertThat(r.path() + r.headers() + r.body()).doesNotContain(token);
        }
    }
}
