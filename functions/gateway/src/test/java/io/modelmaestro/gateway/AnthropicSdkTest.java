package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.NotFoundException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.models.ModelInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.gateway.support.AnthropicWireFake;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.ActivityLogEntity;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official Anthropic Java SDK against the gateway, on every kind of node: a fake Anthropic node (passthrough, and
 * the canonical path with passthrough off), a fake OpenAI-compatible server (vLLM-like) and a fake Ollama /v1 node.
 * Streams are accumulated by the SDK's own {@link MessageAccumulator}, which refuses a duplicate block start or a
 * missing {@code message_start}, and checked event by event by {@link #assertAnthropicSequence}.
 */
class AnthropicSdkTest {

    static final String IMAGE =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    static final String NODE_KEY = "sk-ant-node-secret";

    static FakeUpstream claude;
    static FakeUpstream vllm;
    static FakeUpstream ollama;
    static Gateway passthrough;
    static Gateway canonical;
    static String passthroughToken;
    static String canonicalToken;

    @BeforeAll
    static void start() {
        claude = AnthropicWireFake.install(new FakeUpstream(), List.of("claude-sonnet-4-5"));
        vllm = OpenAiWireFake.install(new FakeUpstream(), List.of("Qwen/Qwen2.5-Coder-32B"), false);
        ollama = OpenAiWireFake.install(new FakeUpstream(), List.of("llama3.2:latest"), true);
        passthrough = Gateway.start();
        canonical = Gateway.start(Map.of("maestro.passthrough", false));
        passthroughToken = setUp(passthrough, "alice");
        canonicalToken = setUp(canonical, "bob");
    }

    static String setUp(Gateway gw, String user) {
        long a = node(gw, "claude-node", "ant", "anthropic", claude.baseUrl(), NODE_KEY);
        long v = node(gw, "vllm-box", "vllm1", "openai", vllm.baseUrl() + "/v1", "sk-vllm-key");
        long o = gw.createNode("gpu-ollama", "gpu1", "ollama", ollama.baseUrl());
        map(gw, "sonnet", "claude-sonnet-4-5", a, List.of());
        map(gw, "coder", "Qwen/Qwen2.5-Coder-32B", v, List.of("tools", "thinking"));
        map(gw, "llama", "llama3.2:latest", o, List.of());
        return gw.createUser(user);
    }

    static long node(Gateway gw, String name, String code, String type, String url, String key) {
        String body = Json.writeString(
                Map.of("name", name, "code", code, "node_type", type, "base_url", url, "api_key", key));
        HttpResponse<String> r = gw.admin("POST", "/admin/nodes", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.parse(r.body()).get("id").asLong();
    }

    static void map(Gateway gw, String display, String real, long node, List<String> capabilities) {
        String body = Json.writeString(Map.of(
                "display_name", display, "real_name", real, "node_ids", List.of(node), "capabilities", capabilities));
        HttpResponse<String> r = gw.admin("POST", "/admin/model-mappings", body);
        assertThat(r.statusCode()).as(r.body()).isLessThan(300);
    }

    @AfterAll
    static void stop() {
        passthrough.close();
        canonical.close();
        claude.close();
        vllm.close();
        ollama.close();
    }

    static Stream<Arguments> setups() {
        return Stream.of(
                Arguments.of("passthrough", "sonnet"),
                Arguments.of("canonical", "sonnet"),
                Arguments.of("passthrough", "coder"),
                Arguments.of("passthrough", "llama"));
    }

    static Stream<String> anthropicPaths() {
        return Stream.of("passthrough", "canonical");
    }

    static Gateway gateway(String path) {
        return path.equals("passthrough") ? passthrough : canonical;
    }

    static String token(String path) {
        return path.equals("passthrough") ? passthroughToken : canonicalToken;
    }

    static AnthropicClient client(String path) {
        return AnthropicOkHttpClient.builder()
                .apiKey(token(path))
                .baseUrl(gateway(path).baseUrl())
                .maxRetries(0)
                .build();
    }

    static FakeUpstream upstreamFor(String display) {
        return switch (display) {
            case "sonnet" -> claude;
            case "coder" -> vllm;
            default -> ollama;
        };
    }

    static String answerOf(String display) {
        return display.equals("sonnet") ? AnthropicWireFake.ANSWER : OpenAiWireFake.ANSWER;
    }

    static FakeUpstream.Recorded lastCall(String display) {
        FakeUpstream upstream = upstreamFor(display);
        String path = display.equals("sonnet") ? "/v1/messages" : "/v1/chat/completions";
        List<FakeUpstream.Recorded> calls = upstream.requests(path);
        assertThat(calls).isNotEmpty();
        return calls.get(calls.size() - 1);
    }

    static MessageCreateParams.Builder ask(String display, String text) {
        return MessageCreateParams.builder().model(display).maxTokens(1024).addUserMessage(text);
    }

    static Tool weatherTool() {
        return Tool.builder()
                .name("get_weather")
                .description("Current weather")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                                .build())
                        .required(List.of("city"))
                        .build())
                .build();
    }

    // ---- plain text ----

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void text_nonStreaming_mapsModelBothWaysWithUsage(String path, String display) {
        Message message =
                client(path).messages().create(ask(display, "Say hello").build());

        assertThat(text(message)).isEqualTo(answerOf(display));
        assertThat(message.model().asString()).isEqualTo(display);
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertUsage(display, message);
        FakeUpstream.Recorded call = lastCall(display);
        JsonNode sent = Json.parse(call.body());
        assertThat(sent.get("model").asText()).isEqualTo(realOf(display));
        assertThat(call.headers().values()).noneMatch(v -> v.contains(token(path)));
        if (display.equals("sonnet")) {
            assertThat(call.headers()).containsEntry("x-api-key", NODE_KEY);
            // Passthrough keeps the client's API version (the body is in that version's format); the canonical
            // path speaks the version its encoder writes.
            if (path.equals("canonical")) {
                assertThat(call.headers()).containsEntry("anthropic-version", "2023-06-01");
            } else {
                assertThat(call.headers().get("anthropic-version")).isNotBlank();
            }
            assertThat(call.headers()).doesNotContainKey("authorization");
            assertThat(sent.get("max_tokens").asInt()).isEqualTo(1024);
        } else {
            assertThat(sent.get("messages").get(0).get("content").asText()).isEqualTo("Say hello");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void text_streaming_isTheExactAnthropicSequence(String path, String display) {
        List<RawMessageStreamEvent> events =
                stream(path, ask(display, "Say hello").build());
        Message message = accumulate(events);

        assertAnthropicSequence(events);
        assertThat(text(message)).isEqualTo(answerOf(display));
        assertThat(message.model().asString()).isEqualTo(display);
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertUsage(display, message);
        assertThat(Json.parse(lastCall(display).body()).get("stream").asBoolean())
                .isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("anthropicPaths")
    void the_claude_prefix_serves_the_same_api(String path) {
        AnthropicClient prefixed = AnthropicOkHttpClient.builder()
                .authToken(token(path))
                .baseUrl(gateway(path).baseUrl() + "/claude")
                .maxRetries(0)
                .build();
        Message message = prefixed.messages().create(ask("llama", "hi").build());
        assertThat(text(message)).isEqualTo(OpenAiWireFake.ANSWER);
        long count = prefixed.messages()
                .countTokens(MessageCountTokensParams.builder()
                        .model("sonnet")
                        .addUserMessage("hi")
                        .build())
                .inputTokens();
        assertThat(count).isEqualTo(AnthropicWireFake.COUNT);
        assertThat(prefixed.models().list().data().stream().map(ModelInfo::id)).contains("sonnet", "coder", "llama");
    }

    // ---- tools ----

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void tools_roundTrip_nonStreaming(String path, String display) {
        MessageCreateParams.Builder params =
                ask(display, "What is the weather in Paris?").addTool(weatherTool());
        Message first = client(path).messages().create(params.build());

        assertThat(first.stopReason()).contains(StopReason.TOOL_USE);
        ToolUseBlock call = toolUse(first);
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(json(call._input()).get("city").asText()).isEqualTo("Paris");

        Message second = client(path)
                .messages()
                .create(params.addMessage(first)
                        .addUserMessageOfContentBlockParams(
                                List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                                        .toolUseId(call.id())
                                        .content("18C and sunny")
                                        .build())))
                        .build());
        assertThat(second.stopReason()).contains(StopReason.END_TURN);
        assertThat(text(second)).isEqualTo("The tool said: 18C and sunny");
        assertToolResultReachedUpstream(display, call.id(), "18C and sunny");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void tools_roundTrip_streaming_argumentsArriveWhole(String path, String display) {
        MessageCreateParams.Builder params =
                ask(display, "What is the weather in Paris?").addTool(weatherTool());
        List<RawMessageStreamEvent> events = stream(path, params.build());
        assertAnthropicSequence(events);
        Message first = accumulate(events);

        assertThat(first.stopReason()).contains(StopReason.TOOL_USE);
        ToolUseBlock call = toolUse(first);
        assertThat(call.name()).isEqualTo("get_weather");
        JsonNode input = json(call._input());
        assertThat(input.get("city").asText()).isEqualTo("Paris");
        if (display.equals("sonnet")) {
            assertThat(input).isEqualTo(Json.parse(AnthropicWireFake.TOOL_INPUT));
        }
        long jsonDeltas = events.stream()
                .filter(e -> e.isContentBlockDelta()
                        && e.asContentBlockDelta().delta().isInputJson())
                .count();
        assertThat(jsonDeltas).isGreaterThan(2);

        List<RawMessageStreamEvent> second = stream(
                path,
                params.addMessage(first)
                        .addUserMessageOfContentBlockParams(
                                List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                                        .toolUseId(call.id())
                                        .content("18C and sunny")
                                        .build())))
                        .build());
        assertAnthropicSequence(second);
        assertThat(text(accumulate(second))).isEqualTo("The tool said: 18C and sunny");
        assertToolResultReachedUpstream(display, call.id(), "18C and sunny");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void tool_errors_and_images_inside_tool_results_reach_the_upstream(String path, String display) {
        MessageCreateParams.Builder params = ask(display, "Take a screenshot").addTool(weatherTool());
        Message first = client(path).messages().create(params.build());
        ToolUseBlock call = toolUse(first);
        Message second = client(path)
                .messages()
                .create(params.addMessage(first)
                        .addUserMessageOfContentBlockParams(
                                List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                                        .toolUseId(call.id())
                                        .isError(true)
                                        .contentOfBlocks(List.of(
                                                ToolResultBlockParam.Content.Block.ofText("screen follows"),
                                                ToolResultBlockParam.Content.Block.ofImage(png())))
                                        .build())))
                        .build());
        assertThat(text(second)).startsWith("The tool said: screen follows");

        JsonNode sent = Json.parse(lastCall(display).body());
        JsonNode messages = sent.get("messages");
        if (display.equals("sonnet")) {
            JsonNode result = messages.get(messages.size() - 1).get("content").get(0);
            assertThat(result.get("type").asText()).isEqualTo("tool_result");
            assertThat(result.get("is_error").asBoolean()).isTrue();
            assertThat(result.toString()).contains(IMAGE);
        } else {
            // OpenAI tool messages carry text only: the image follows in a user message.
            JsonNode tool = messages.get(messages.size() - 2);
            assertThat(tool.get("role").asText()).isEqualTo("tool");
            assertThat(tool.get("content").asText()).isEqualTo("screen follows");
            JsonNode user = messages.get(messages.size() - 1);
            assertThat(user.get("role").asText()).isEqualTo("user");
            assertThat(user.toString()).contains("data:image/png;base64," + IMAGE);
        }
    }

    // ---- images ----

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void images_reach_the_upstream_in_its_format(String path, String display) {
        Message message = client(path)
                .messages()
                .create(MessageCreateParams.builder()
                        .model(display)
                        .maxTokens(256)
                        .addUserMessageOfContentBlockParams(List.of(
                                ContentBlockParam.ofText(TextBlockParam.of("What is this?")),
                                ContentBlockParam.ofImage(png())))
                        .build());

        JsonNode user = Json.parse(lastCall(display).body()).get("messages").get(0);
        if (display.equals("sonnet")) {
            assertThat(text(message)).isEqualTo("I see 1 image(s).");
            JsonNode image = user.get("content").get(1);
            assertThat(image.get("source").get("media_type").asText()).isEqualTo("image/png");
            assertThat(image.get("source").get("data").asText()).isEqualTo(IMAGE);
        } else {
            assertThat(text(message)).isEqualTo(OpenAiWireFake.ANSWER);
            assertThat(user.get("content").get(0).get("text").asText()).isEqualTo("What is this?");
            assertThat(user.get("content").get(1).get("image_url").get("url").asText())
                    .isEqualTo("data:image/png;base64," + IMAGE);
        }
    }

    // ---- thinking ----

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void thinking_then_text_nonStreaming_and_streaming(String path, String display) {
        MessageCreateParams params = MessageCreateParams.builder()
                .model(display)
                .maxTokens(20000)
                .enabledThinking(16000)
                .addUserMessage("Think, then answer")
                .build();
        Message unary = client(path).messages().create(params);
        JsonNode sentUnary = Json.parse(lastCall(display).body());
        List<RawMessageStreamEvent> events = stream(path, params);
        assertAnthropicSequence(events);
        Message streamed = accumulate(events);

        for (Message message : List.of(unary, streamed)) {
            assertThat(text(message)).isEqualTo(answerOf(display));
            List<ContentBlock> blocks = message.content();
            switch (display) {
                case "sonnet" -> {
                    assertThat(blocks.get(0).isThinking()).isTrue();
                    assertThat(blocks.get(0).asThinking().thinking()).isEqualTo(AnthropicWireFake.THINKING);
                    assertThat(blocks.get(0).asThinking().signature()).isEqualTo(AnthropicWireFake.SIGNATURE);
                    assertThat(blocks.get(1).isText()).isTrue();
                }
                case "llama" -> {
                    // Ollama's reasoning field becomes a thinking block before the text.
                    assertThat(blocks.get(0).isThinking()).isTrue();
                    assertThat(blocks.get(0).asThinking().thinking()).isEqualTo("thinking...");
                    assertThat(blocks.get(1).isText()).isTrue();
                }
                default -> assertThat(blocks).noneMatch(ContentBlock::isThinking);
            }
        }
        switch (display) {
            case "sonnet" ->
                assertThat(sentUnary.get("thinking").get("budget_tokens").asInt())
                        .isEqualTo(16000);
            // The mapping declares the thinking capability: the budget becomes an effort.
            case "coder" ->
                assertThat(sentUnary.get("reasoning_effort").asText()).isEqualTo("high");
            // No capability declared: thinking is dropped rather than risk a refusal.
            default -> assertThat(sentUnary.has("reasoning_effort")).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("anthropicPaths")
    void thinking_blocks_with_signatures_survive_a_tool_loop_to_anthropic(String path) {
        MessageCreateParams.Builder params = MessageCreateParams.builder()
                .model("sonnet")
                .maxTokens(20000)
                .enabledThinking(2048)
                .addUserMessage("Weather in Paris?")
                .addTool(weatherTool());
        Message first = client(path).messages().create(params.build());
        ToolUseBlock call = toolUse(first);
        client(path)
                .messages()
                .create(params.addMessage(first)
                        .addUserMessageOfContentBlockParams(
                                List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                                        .toolUseId(call.id())
                                        .content("sunny")
                                        .build())))
                        .build());
        JsonNode assistant =
                Json.parse(lastCall("sonnet").body()).get("messages").get(1);
        assertThat(assistant.get("content").get(0).get("type").asText()).isEqualTo("thinking");
        assertThat(assistant.get("content").get(0).get("signature").asText()).isEqualTo(AnthropicWireFake.SIGNATURE);
        assertThat(assistant.get("content").get(1).get("type").asText()).isEqualTo("tool_use");
    }

    // ---- stop reasons ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("anthropicPaths")
    void stop_sequence_and_max_tokens_come_through(String path) {
        for (boolean streaming : List.of(false, true)) {
            MessageCreateParams bySequence =
                    ask("sonnet", "Count").addStopSequence("###").build();
            Message stopped = streaming
                    ? accumulate(stream(path, bySequence))
                    : client(path).messages().create(bySequence);
            assertThat(stopped.stopReason()).contains(StopReason.STOP_SEQUENCE);
            assertThat(stopped.stopSequence()).contains("###");

            MessageCreateParams short_ = MessageCreateParams.builder()
                    .model("sonnet")
                    .maxTokens(8)
                    .addUserMessage("Write an essay")
                    .build();
            Message cut = streaming
                    ? accumulate(stream(path, short_))
                    : client(path).messages().create(short_);
            assertThat(cut.stopReason()).contains(StopReason.MAX_TOKENS);
        }
    }

    // ---- count_tokens, models ----

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void count_tokens_is_the_upstreams_answer_or_an_estimate(String path, String display) {
        long count = client(path)
                .messages()
                .countTokens(MessageCountTokensParams.builder()
                        .model(display)
                        .system("You are terse.")
                        .addUserMessage("Please count the tokens of this sentence, which has a few words.")
                        .build())
                .inputTokens();
        if (display.equals("sonnet")) {
            assertThat(count).isEqualTo(AnthropicWireFake.COUNT);
            JsonNode sent = Json.parse(claude.requests("/v1/messages/count_tokens")
                    .get(claude.requests("/v1/messages/count_tokens").size() - 1)
                    .body());
            assertThat(sent.get("model").asText()).isEqualTo("claude-sonnet-4-5");
        } else {
            // ceil(78 chars / 4) + 3 per message + 3
            assertThat(count).isEqualTo(26);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("anthropicPaths")
    void models_list_in_anthropic_shape_when_anthropic_version_is_sent(String path) {
        List<ModelInfo> models = client(path).models().list().data();
        assertThat(models.stream().map(ModelInfo::id)).contains("sonnet", "coder", "llama");
        // The real names are listed only by their display names.
        assertThat(models.stream().map(ModelInfo::id)).doesNotContain("claude-sonnet-4-5", "llama3.2:latest");
        assertThat(models.get(0).displayName()).isEqualTo(models.get(0).id());

        HttpResponse<String> openAi = gateway(path).call("GET", "/v1/models", token(path), null);
        assertThat(Json.parse(openAi.body()).get("object").asText()).isEqualTo("list");
    }

    // ---- errors, activity ----

    @Test
    void unknown_node_is_a_not_found_error_in_anthropic_format() {
        assertThatThrownBy(() -> client("passthrough")
                        .messages()
                        .create(ask("node:nope:x", "hi").build()))
                .isInstanceOf(NotFoundException.class)
                .satisfies(e -> {
                    JsonNode body = json(((NotFoundException) e).body());
                    assertThat(body.get("type").asText()).isEqualTo("error");
                    assertThat(body.get("error").get("type").asText()).isEqualTo("not_found_error");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/messages", "/claude/v1/messages", "/v1/messages/count_tokens"})
    void validation_and_auth_errors_use_anthropics_envelope(String endpoint) {
        String noMaxTokens = "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String badRole =
                "{\"model\":\"llama\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"hi\"}]}";
        int before = ollama.requests().size();

        HttpResponse<String> invalid = passthrough.call(
                "POST", endpoint, passthroughToken, endpoint.endsWith("count_tokens") ? badRole : noMaxTokens);
        assertError(invalid, 400, "invalid_request_error");
        assertThat(ollama.requests()).hasSize(before);

        assertError(passthrough.call("POST", endpoint, null, noMaxTokens), 401, "authentication_error");
        assertError(passthrough.call("POST", endpoint, Gateway.ADMIN_TOKEN, noMaxTokens), 403, "permission_error");
        assertError(passthrough.call("POST", endpoint, passthroughToken, "{not json"), 400, "invalid_request_error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/messages", "/v1/chat/completions"})
    void accept_application_json_reaches_the_endpoint_not_the_fallback(String endpoint) throws Exception {
        // The SDKs send Accept: application/json; the catch-all 404 route must not win over the real one.
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(passthrough.baseUrl() + endpoint))
                .header("Authorization", "Bearer " + passthroughToken)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        HttpResponse<String> r =
                java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("model");
    }

    @Test
    void unauthenticated_model_list_and_unknown_claude_paths_answer_in_anthropic_format() {
        assertError(passthrough.call("GET", "/claude/v1/models", null, null), 401, "authentication_error");
        assertError(passthrough.call("GET", "/claude/v1/nothing", passthroughToken, null), 404, "not_found_error");
        assertThat(passthrough.call("GET", "/claude", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void every_request_leaves_one_activity_row_with_normalised_usage_named_by_the_request_id() {
        Gateway gw = passthrough;
        String plainId;
        try (HttpResponseFor<Message> raw = client("passthrough")
                .messages()
                .withRawResponse()
                .create(ask("sonnet", "count me").build())) {
            assertThat(raw.parse().content()).isNotEmpty();
            plainId = raw.requestId().orElseThrow();
        }
        ActivityLogEntity row = gw.awaitActivity(r -> r.requestId().toString().equals(plainId));
        assertThat(row.modelName()).isEqualTo("sonnet");
        assertThat(row.nodeName()).isEqualTo("claude-node");
        assertThat(row.requestType()).isEqualTo("messages");
        assertThat(row.source()).isEqualTo("Anthropic SDK");
        assertThat(row.statusCode()).isEqualTo(200);
        assertThat(row.streamed()).isFalse();
        // 20 uncached + 100 cache reads + 5 cache writes: the canonical prompt count includes the cache.
        assertThat(row.promptTokens()).isEqualTo(125);
        assertThat(row.completionTokens()).isEqualTo(9);

        String streamedId;
        try (HttpResponseFor<StreamResponse<RawMessageStreamEvent>> raw = client("passthrough")
                .messages()
                .withRawResponse()
                .createStreaming(ask("sonnet", "count me too").build())) {
            List<RawMessageStreamEvent> events = new ArrayList<>();
            try (StreamResponse<RawMessageStreamEvent> stream = raw.parse()) {
                stream.stream().forEach(events::add);
            }
            assertThat(accumulate(events).content()).isNotEmpty();
            streamedId = raw.requestId().orElseThrow();
        }
        assertThat(streamedId).isNotEqualTo(plainId);
        ActivityLogEntity streamed =
                gw.awaitActivity(r -> r.requestId().toString().equals(streamedId));
        assertThat(streamed.streamed()).isTrue();
        assertThat(streamed.promptTokens()).isEqualTo(125);
        assertThat(streamed.completionTokens()).isEqualTo(9);
    }

    // ---- helpers ----

    static void assertError(HttpResponse<String> r, int status, String type) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = Json.parse(r.body());
        assertThat(body.get("type").asText()).isEqualTo("error");
        assertThat(body.get("error").get("type").asText()).isEqualTo(type);
        assertThat(body.get("error").get("message").asText()).isNotBlank();
    }

    static String realOf(String display) {
        return switch (display) {
            case "sonnet" -> "claude-sonnet-4-5";
            case "coder" -> "Qwen/Qwen2.5-Coder-32B";
            default -> "llama3.2:latest";
        };
    }

    static void assertUsage(String display, Message message) {
        if (display.equals("sonnet")) {
            assertThat(message.usage().inputTokens()).isEqualTo(20);
            assertThat(message.usage().cacheReadInputTokens()).contains(100L);
            assertThat(message.usage().cacheCreationInputTokens()).contains(5L);
            assertThat(message.usage().outputTokens()).isEqualTo(9);
        } else {
            assertThat(message.usage().inputTokens()).isEqualTo(12);
            assertThat(message.usage().outputTokens()).isEqualTo(7);
        }
    }

    static void assertToolResultReachedUpstream(String display, String id, String content) {
        JsonNode messages = Json.parse(lastCall(display).body()).get("messages");
        boolean found = false;
        for (JsonNode m : messages) {
            if (display.equals("sonnet")) {
                for (JsonNode block : m.path("content")) {
                    if (block.path("type").asText().equals("tool_result")) {
                        assertThat(block.get("tool_use_id").asText()).isEqualTo(id);
                        assertThat(block.get("content").toString()).contains(content);
                        found = true;
                    }
                }
            } else if (m.path("role").asText().equals("tool")) {
                assertThat(m.get("tool_call_id").asText()).isEqualTo(id);
                assertThat(m.get("content").asText()).isEqualTo(content);
                found = true;
            }
        }
        assertThat(found).isTrue();
    }

    /**
     * Anthropic's event grammar: message_start first; then blocks with indexes 0, 1, 2… each started once, with
     * deltas only while open and of its type, stopped once before the next starts; then one message_delta with a
     * stop reason, and message_stop last.
     */
    static void assertAnthropicSequence(List<RawMessageStreamEvent> events) {
        assertThat(events).isNotEmpty();
        assertThat(events.get(0).isMessageStart()).as("message_start first").isTrue();
        assertThat(events.get(events.size() - 1).isMessageStop())
                .as("message_stop last")
                .isTrue();
        int expectedIndex = 0;
        Integer open = null;
        String openType = null;
        int deltas = 0;
        for (RawMessageStreamEvent e : events.subList(1, events.size() - 1)) {
            if (e.isMessageStart() || e.isMessageStop()) {
                throw new AssertionError("duplicate message_start/message_stop: " + e);
            }
            if (e.isContentBlockStart()) {
                assertThat(open).as("a block started while another is open").isNull();
                assertThat(e.asContentBlockStart().index()).isEqualTo(expectedIndex);
                open = expectedIndex++;
                var block = e.asContentBlockStart().contentBlock();
                openType = block.isText()
                        ? "text"
                        : block.isThinking() ? "thinking" : block.isToolUse() ? "tool_use" : "?";
            } else if (e.isContentBlockDelta()) {
                assertThat(open).as("delta outside a block").isNotNull();
                assertThat(e.asContentBlockDelta().index()).isEqualTo(open.longValue());
                var delta = e.asContentBlockDelta().delta();
                switch (openType) {
                    case "text" ->
                        assertThat(delta.isText())
                                .as("text block gets text deltas")
                                .isTrue();
                    case "thinking" ->
                        assertThat(delta.isThinking() || delta.isSignature())
                                .as("thinking block gets thinking/signature deltas")
                                .isTrue();
                    case "tool_use" ->
                        assertThat(delta.isInputJson())
                                .as("tool block gets input_json")
                                .isTrue();
                    default -> throw new AssertionError(openType);
                }
                deltas++;
            } else if (e.isContentBlockStop()) {
                assertThat(open).as("stop without start").isNotNull();
                assertThat(e.asContentBlockStop().index()).isEqualTo(open.longValue());
                open = null;
            } else if (e.isMessageDelta()) {
                assertThat(open).as("message_delta with a block open").isNull();
                assertThat(e.asMessageDelta().delta().stopReason()).isPresent();
            }
        }
        assertThat(open).isNull();
        assertThat(expectedIndex).as("at least one block").isPositive();
        assertThat(events.stream().filter(RawMessageStreamEvent::isMessageDelta))
                .hasSize(1);
        assertThat(deltas).isPositive();
    }

    static List<RawMessageStreamEvent> stream(String path, MessageCreateParams params) {
        List<RawMessageStreamEvent> events = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream =
                client(path).messages().createStreaming(params)) {
            stream.stream().forEach(events::add);
        }
        return events;
    }

    static Message accumulate(List<RawMessageStreamEvent> events) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        events.forEach(accumulator::accumulate);
        return accumulator.message();
    }

    static String text(Message message) {
        StringBuilder out = new StringBuilder();
        message.content().stream()
                .filter(ContentBlock::isText)
                .forEach(b -> out.append(b.asText().text()));
        return out.toString();
    }

    static ToolUseBlock toolUse(Message message) {
        return message.content().stream()
                .filter(ContentBlock::isToolUse)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no tool_use in " + message.content()))
                .asToolUse();
    }

    static Base64ImageSource png() {
        return Base64ImageSource.builder()
                .mediaType(Base64ImageSource.MediaType.IMAGE_PNG)
                .data(IMAGE)
                .build();
    }

    static JsonNode json(JsonValue value) {
        try {
            return Json.parse(ObjectMappers.jsonMapper().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
