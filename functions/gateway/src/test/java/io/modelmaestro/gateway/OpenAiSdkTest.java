package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.ActivityLogEntity;
import io.modelmaestro.persistence.ActivityLogRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official OpenAI Java SDK against the gateway, for both node types (Ollama's /v1 layer and a plain
 * OpenAI-compatible server) and both paths (passthrough, and the canonical model with passthrough off).
 */
class OpenAiSdkTest {

    static FakeUpstream ollama;
    static FakeUpstream vllm;
    static Gateway passthrough;
    static Gateway canonical;
    static String passthroughToken;
    static String canonicalToken;

    @BeforeAll
    static void start() {
        ollama =
                OpenAiWireFake.install(new FakeUpstream(), List.of("llama3.2:latest", "nomic-embed-text:latest"), true);
        vllm = OpenAiWireFake.install(new FakeUpstream(), List.of("Qwen/Qwen2.5-Coder-32B"), false);
        passthrough = Gateway.start();
        canonical = Gateway.start(Map.of("maestro.passthrough", false));
        passthroughToken = setUp(passthrough, "alice");
        canonicalToken = setUp(canonical, "bob");
    }

    static String setUp(Gateway gw, String user) {
        long o = gw.createNode("gpu-ollama", "gpu1", "ollama", ollama.baseUrl());
        String body = Json.writeString(Map.of(
                "name",
                "vllm-box",
                "code",
                "vllm1",
                "node_type",
                "openai",
                "base_url",
                vllm.baseUrl() + "/v1",
                "api_key",
                "sk-node-secret-key"));
        long v = Json.parse(gw.admin("POST", "/admin/nodes", body).body())
                .get("id")
                .asLong();
        gw.map("llama", "llama3.2:latest", o);
        gw.map("embed", "nomic-embed-text:latest", o);
        gw.map("coder", "Qwen/Qwen2.5-Coder-32B", v);
        return gw.createUser(user);
    }

    @AfterAll
    static void stop() {
        passthrough.close();
        canonical.close();
        ollama.close();
        vllm.close();
    }

    static Stream<Arguments> setups() {
        return Stream.of(
                Arguments.of("passthrough", "llama", "llama3.2:latest"),
                Arguments.of("passthrough", "coder", "Qwen/Qwen2.5-Coder-32B"),
                Arguments.of("canonical", "llama", "llama3.2:latest"),
                Arguments.of("canonical", "coder", "Qwen/Qwen2.5-Coder-32B"));
    }

    static Gateway gateway(String path) {
        return path.equals("passthrough") ? passthrough : canonical;
    }

    static OpenAIClient client(String path) {
        String token = path.equals("passthrough") ? passthroughToken : canonicalToken;
        return OpenAIOkHttpClient.builder()
                .apiKey(token)
                .baseUrl(gateway(path).baseUrl() + "/v1")
                .maxRetries(0)
                .build();
    }

    static FakeUpstream upstreamFor(String display) {
        return display.equals("llama") ? ollama : vllm;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void chat_nonStreaming_mapsModelBothWays(String path, String display, String real) {
        FakeUpstream upstream = upstreamFor(display);
        int before = upstream.requests("/v1/chat/completions").size();

        ChatCompletion completion = client(path)
                .chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model(display)
                        .addUserMessage("Say hello")
                        .build());

        assertThat(completion.choices().get(0).message().content()).contains(OpenAiWireFake.ANSWER);
        assertThat(completion.model()).isEqualTo(display);
        assertThat(completion.usage()).isPresent();
        assertThat(completion.usage().get().promptTokens()).isEqualTo(12);
        assertThat(completion.usage().get().completionTokens()).isEqualTo(7);
        List<FakeUpstream.Recorded> seen = upstream.requests("/v1/chat/completions");
        assertThat(seen).hasSize(before + 1);
        FakeUpstream.Recorded last = seen.get(seen.size() - 1);
        assertThat(Json.parse(last.body()).get("model").asText()).isEqualTo(real);
        assertNodeCredentialsOnly(last, display);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void chat_streaming_deliversEveryDeltaWithDisplayModel(String path, String display, String real) {
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client(path)
                .chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model(display)
                        .addUserMessage("Say hello")
                        .build())) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
            });
        }
        assertThat(text.toString()).isEqualTo(OpenAiWireFake.ANSWER);
        assertThat(chunks).allSatisfy(c -> assertThat(c.model()).isEqualTo(display));
        // The client did not ask for usage: the usage chunk the gateway requested for itself is not forwarded.
        assertThat(chunks).allSatisfy(c -> assertThat(c.choices()).isNotEmpty());
        assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason())
                .isPresent();
        FakeUpstream.Recorded last = last(upstreamFor(display));
        assertThat(Json.parse(last.body()).get("model").asText()).isEqualTo(real);
        assertThat(Json.parse(last.body())
                        .path("stream_options")
                        .path("include_usage")
                        .asBoolean())
                .isTrue();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void chat_streaming_withIncludeUsage_endsWithUsageChunk(String path, String display, String real) {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client(path)
                .chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model(display)
                        .addUserMessage("Say hello")
                        .streamOptions(ChatCompletionStreamOptions.builder()
                                .includeUsage(true)
                                .build())
                        .build())) {
            stream.stream().forEach(chunks::add);
        }
        ChatCompletionChunk lastChunk = chunks.get(chunks.size() - 1);
        assertThat(lastChunk.choices()).isEmpty();
        assertThat(lastChunk.usage()).isPresent();
        assertThat(lastChunk.usage().get().totalTokens()).isEqualTo(19);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void tools_roundTrip_nonStreaming(String path, String display, String real) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model(display)
                .addUserMessage("What is the weather in Paris?")
                .addTool(weatherTool());
        ChatCompletion first = client(path).chat().completions().create(params.build());
        List<com.openai.models.chat.completions.ChatCompletionMessageToolCall> calls =
                first.choices().get(0).message().toolCalls().orElseThrow();
        ChatCompletionMessageFunctionToolCall call = calls.get(0).asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(Json.parse(call.function().arguments()).get("city").asText()).isEqualTo("Paris");
        assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);

        ChatCompletion second = client(path)
                .chat()
                .completions()
                .create(params.addMessage(first.choices().get(0).message())
                        .addMessage(ChatCompletionToolMessageParam.builder()
                                .toolCallId(call.id())
                                .content("18C and sunny")
                                .build())
                        .build());
        assertThat(second.choices().get(0).message().content()).contains("The tool said: 18C and sunny");
        // The tool result reached the upstream as a tool message tied to the call id.
        String upstreamBody = last(upstreamFor(display)).body();
        boolean found = false;
        for (var m : Json.parse(upstreamBody).get("messages")) {
            if ("tool".equals(m.path("role").asText())) {
                assertThat(m.path("tool_call_id").asText()).isEqualTo(call.id());
                found = true;
            }
        }
        assertThat(found).isTrue();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void tools_streaming_argumentsArriveWhole(String path, String display, String real) {
        StringBuilder args = new StringBuilder();
        List<String> names = new ArrayList<>();
        List<String> finish = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client(path)
                .chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model(display)
                        .addUserMessage("Weather in Paris?")
                        .addTool(weatherTool())
                        .build())) {
            stream.stream()
                    .forEach(chunk -> chunk.choices().forEach(c -> {
                        c.delta()
                                .toolCalls()
                                .ifPresent(tcs ->
                                        tcs.forEach(tc -> tc.function().ifPresent(f -> {
                                            f.name().ifPresent(names::add);
                                            f.arguments().ifPresent(args::append);
                                        })));
                        c.finishReason().ifPresent(r -> finish.add(r.asString()));
                    }));
        }
        assertThat(names).containsExactly("get_weather");
        assertThat(Json.parse(args.toString()).get("city").asText()).isEqualTo("Paris");
        assertThat(finish).containsExactly("tool_calls");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void embeddings_areReturnedPerInput(String path) {
        CreateEmbeddingResponse response = client(path)
                .embeddings()
                .create(EmbeddingCreateParams.builder()
                        .model("embed")
                        .inputOfArrayOfStrings(List.of("one", "two"))
                        .build());
        assertThat(response.data()).hasSize(2);
        assertThat(response.data().get(0).embedding()).hasSize(3);
        assertThat(response.model()).isEqualTo("embed");
        assertThat(Json.parse(last(ollama).body()).get("model").asText()).isEqualTo("nomic-embed-text:latest");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void models_listDisplayNamesOfEveryNode(String path) {
        List<String> ids =
                client(path).models().list().data().stream().map(Model::id).toList();
        assertThat(ids).contains("llama", "embed", "coder");
        // A mapped real name is shown only by its display names.
        assertThat(ids).doesNotContain("llama3.2:latest", "Qwen/Qwen2.5-Coder-32B");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void everyRequest_leavesOneActivityRowWithTokens(String path) {
        Gateway gw = gateway(path);
        ChatCompletion completion = client(path)
                .chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("llama")
                        .addUserMessage("count me")
                        .build());
        assertThat(completion.id()).isNotBlank();
        gw.flushActivity();
        List<ActivityLogEntity> rows = gw.bean(ActivityLogRepository.class).findAllOrderByIdDesc();
        ActivityLogEntity row = rows.get(0);
        assertThat(row.modelName()).isEqualTo("llama");
        assertThat(row.nodeName()).isEqualTo("gpu-ollama");
        assertThat(row.statusCode()).isEqualTo(200);
        assertThat(row.promptTokens()).isEqualTo(12);
        assertThat(row.completionTokens()).isEqualTo(7);
        assertThat(row.requestType()).isEqualTo("chat/completions");
        assertThat(row.source()).isIn("OpenAI-Compatible", "OpenAI SDK");
        assertThat(row.clientFormat()).isEqualTo("openai");
        assertThat(row.realModel()).isEqualTo("llama3.2:latest");
        assertThat(row.errorClass()).isNull();
        assertThat(rows.stream().map(ActivityLogEntity::requestId).distinct().count())
                .isEqualTo(rows.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void the_sdk_reads_the_request_id_of_the_activity_row_streaming_or_not(String path) throws Exception {
        Gateway gw = gateway(path);
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("llama")
                .addUserMessage("which row am I")
                .build();
        String plain;
        try (HttpResponseFor<ChatCompletion> raw =
                client(path).chat().completions().withRawResponse().create(params)) {
            assertThat(raw.parse().choices()).isNotEmpty();
            plain = raw.requestId().orElseThrow();
        }
        String streamed;
        try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw =
                client(path).chat().completions().withRawResponse().createStreaming(params)) {
            try (StreamResponse<ChatCompletionChunk> chunks = raw.parse()) {
                assertThat(chunks.stream().count()).isPositive();
            }
            streamed = raw.requestId().orElseThrow();
        }
        assertThat(plain).isNotEqualTo(streamed);
        ActivityLogEntity plainRow =
                gw.awaitActivity(r -> r.requestId().toString().equals(plain));
        ActivityLogEntity streamedRow =
                gw.awaitActivity(r -> r.requestId().toString().equals(streamed));
        assertThat(plainRow.streamed()).isFalse();
        assertThat(streamedRow.streamed()).isTrue();
        assertThat(plainRow.statusCode()).isEqualTo(200);
        assertThat(streamedRow.statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void a_refused_request_carries_the_id_of_its_error_row(String path) {
        Gateway gw = gateway(path);
        var raw = gw.call(
                "POST",
                "/v1/chat/completions",
                path.equals("passthrough") ? passthroughToken : canonicalToken,
                "{\"model\":\"llama\"}");
        assertThat(raw.statusCode()).isEqualTo(400);
        String id = raw.headers().firstValue("x-request-id").orElseThrow();
        ActivityLogEntity row = gw.awaitActivity(r -> r.requestId().toString().equals(id));
        assertThat(row.statusCode()).isEqualTo(400);
        assertThat(row.username()).isEqualTo(path.equals("passthrough") ? "alice" : "bob");
        assertThat(row.errorMessage()).contains("messages");
        // Logged under the model it named, though the body was refused.
        assertThat(row.modelName()).isEqualTo("llama");
    }

    static Stream<String> paths() {
        return Stream.of("passthrough", "canonical");
    }

    static ChatCompletionFunctionTool weatherTool() {
        return ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder()
                        .name("get_weather")
                        .description("Current weather")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty(
                                        "properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                                .build())
                        .build())
                .build();
    }

    static FakeUpstream.Recorded last(FakeUpstream upstream) {
        List<FakeUpstream.Recorded> all = upstream.requests();
        return all.get(all.size() - 1);
    }

    static void assertNodeCredentialsOnly(FakeUpstream.Recorded request, String display) {
        Optional<String> auth = Optional.ofNullable(request.headers().get("authorization"));
        if (display.equals("coder")) {
            assertThat(auth).contains("Bearer sk-node-secret-key");
        } else {
            assertThat(auth).isEmpty();
        }
        assertThat(request.headers().values())
                .noneMatch(v -> v.contains(passthroughToken) || v.contains(canonicalToken));
    }
}
