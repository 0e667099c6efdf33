package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.ChatCompletionUserMessageParam;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.modelmaestro.gateway.support.BedrockWireFake;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.ActivityLogEntity;
import io.modelmaestro.persistence.ActivityLogRepository;
import io.modelmaestro.persistence.AuditLogRepository;
import io.modelmaestro.persistence.NodeEntity;
import io.modelmaestro.persistence.NodeRepository;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A {@code bedrock} node end to end: the gateway's AWS SDK client (SigV4, event-stream) against
 * {@link BedrockWireFake}, reached by the real OpenAI and Anthropic SDKs, plus the admin API's handling of AWS
 * credentials.
 */
class BedrockNodeTest {

    static final String ACCESS_KEY = "AKIAFAKEBEDROCK00001";
    static final String SECRET = "fAkE/SeCrEt+Key0123456789abcdefghijKLMNOP";
    static final String SESSION = "FwoGZXIvYXdzEFakeSessionToken0123456789";
    static final String CLAUDE = "anthropic.claude-3-haiku-20240307-v1:0";

    static BedrockWireFake fake;
    static Gateway gw;
    static String token;
    static long nodeId;
    static HttpResponse<String> created;

    @BeforeAll
    static void start() {
        fake = new BedrockWireFake();
        gw = Gateway.start();
        Map<String, Object> body = new HashMap<>();
        body.put("name", "bedrock-fake");
        body.put("code", "br");
        body.put("node_type", "bedrock");
        body.put("base_url", fake.baseUrl());
        body.put("aws_region", "eu-west-1");
        body.put("aws_access_key_id", ACCESS_KEY);
        body.put("aws_secret_access_key", SECRET);
        body.put("aws_session_token", SESSION);
        created = gw.admin("POST", "/admin/nodes", Json.writeString(body));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        nodeId = Json.parse(created.body()).get("id").asLong();
        gw.map("claude", CLAUDE, nodeId);
        gw.map("titan", "amazon.titan-embed-text-v2:0", nodeId);
        gw.map("cutter", "anthropic.cut-v1", nodeId);
        // The Anthropic surface forwards thinking to non-anthropic nodes only for mappings with that capability.
        HttpResponse<String> think = gw.admin(
                "POST",
                "/admin/model-mappings",
                Json.writeString(Map.of(
                        "display_name",
                        "claude-think",
                        "real_name",
                        CLAUDE,
                        "node_ids",
                        List.of(nodeId),
                        "capabilities",
                        List.of("completion", "thinking"))));
        assertThat(think.statusCode()).as(think.body()).isLessThan(300);
        token = gw.createUser("alice");
    }

    @AfterAll
    static void stop() {
        gw.close();
        fake.close();
    }

    static OpenAIClient openAi() {
        return OpenAIOkHttpClient.builder()
                .apiKey(token)
                .baseUrl(gw.baseUrl() + "/v1")
                .maxRetries(0)
                .build();
    }

    static BedrockWireFake.Recorded last() {
        List<BedrockWireFake.Recorded> all = fake.requests();
        return all.get(all.size() - 1);
    }

    @Test
    void chat_nonStreaming_isSignedAndMapsBothWays() {
        ChatCompletion completion = openAi().chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("claude")
                        .addSystemMessage("Be brief.")
                        .addUserMessage("Say hello")
                        .maxCompletionTokens(100)
                        .temperature(0.5)
                        .topP(0.9)
                        .stop("STOP")
                        .build());

        assertThat(completion.choices().get(0).message().content()).contains(BedrockWireFake.ANSWER);
        assertThat(completion.model()).isEqualTo("claude");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        var usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(125); // 20 uncached + 100 cache read + 5 cache write
        assertThat(usage.completionTokens()).isEqualTo(9);
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(100L);

        BedrockWireFake.Recorded r = last();
        assertThat(r.path()).isEqualTo("/model/" + CLAUDE + "/converse");
        // SigV4 with the node's own key, scoped to its region and the bedrock service; the session token goes along.
        assertThat(r.headers().get("authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/")
                .contains("/eu-west-1/bedrock/aws4_request");
        assertThat(r.headers().get("x-amz-security-token")).isEqualTo(SESSION);
        assertThat(r.headers().get("authorization")).doesNotContain(token);
        JsonNode sent = r.json();
        assertThat(sent.path("system").path(0).path("text").asText()).isEqualTo("Be brief.");
        assertThat(sent.path("messages").path(0).path("role").asText()).isEqualTo("user");
        assertThat(sent.path("messages")
                        .path(0)
                        .path("content")
                        .path(0)
                        .path("text")
                        .asText())
                .isEqualTo("Say hello");
        JsonNode inference = sent.path("inferenceConfig");
        assertThat(inference.path("maxTokens").asInt()).isEqualTo(100);
        assertThat(inference.path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(inference.path("topP").asDouble()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(inference.path("stopSequences").path(0).asText()).isEqualTo("STOP");

        gw.flushActivity();
        ActivityLogEntity row =
                gw.bean(ActivityLogRepository.class).findAllOrderByIdDesc().get(0);
        assertThat(row.statusCode()).isEqualTo(200);
        assertThat(row.nodeId()).isEqualTo(nodeId);
    }

    @Test
    void chat_streaming_deliversDeltasAndUsage() {
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openAi().chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model("claude")
                        .addUserMessage("Say hello")
                        .streamOptions(ChatCompletionStreamOptions.builder()
                                .includeUsage(true)
                                .build())
                        .build())) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
            });
        }
        assertThat(text.toString()).isEqualTo(BedrockWireFake.ANSWER);
        long contentChunks = chunks.stream()
                .filter(c -> !c.choices().isEmpty()
                        && c.choices().get(0).delta().content().isPresent())
                .count();
        assertThat(contentChunks).isGreaterThan(2); // streamed, not buffered into one
        assertThat(chunks).allSatisfy(c -> assertThat(c.model()).isEqualTo("claude"));
        ChatCompletionChunk lastChunk = chunks.get(chunks.size() - 1);
        assertThat(lastChunk.usage().orElseThrow().promptTokens()).isEqualTo(125);
        assertThat(lastChunk.usage().orElseThrow().completionTokens()).isEqualTo(9);
        assertThat(last().path()).isEqualTo("/model/" + CLAUDE + "/converse-stream");
        assertThat(last().headers().get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY);
    }

    @Test
    void tools_roundTrip_withStreamedToolInput() {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model("claude")
                .addUserMessage("What is the weather in Paris?")
                .addTool(OpenAiSdkTest.weatherTool());
        StringBuilder args = new StringBuilder();
        List<String> names = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> finish = new ArrayList<>();
        int[] argChunks = {0};
        try (StreamResponse<ChatCompletionChunk> stream =
                openAi().chat().completions().createStreaming(params.build())) {
            stream.stream()
                    .forEach(chunk -> chunk.choices().forEach(c -> {
                        c.delta()
                                .toolCalls()
                                .ifPresent(tcs -> tcs.forEach(tc -> {
                                    tc.id().ifPresent(ids::add);
                                    tc.function().ifPresent(f -> {
                                        f.name().ifPresent(names::add);
                                        f.arguments().filter(a -> !a.isEmpty()).ifPresent(a -> {
                                            args.append(a);
                                            argChunks[0]++;
                                        });
                                    });
                                }));
                        c.finishReason().ifPresent(r -> finish.add(r.asString()));
                    }));
        }
        assertThat(names).containsExactly("get_weather");
        assertThat(ids).containsExactly(BedrockWireFake.TOOL_ID);
        assertThat(args.toString()).isEqualTo(BedrockWireFake.TOOL_INPUT);
        assertThat(argChunks[0]).isGreaterThan(1);
        assertThat(finish).containsExactly("tool_calls");
        JsonNode firstSent = last().json();
        JsonNode spec = firstSent.path("toolConfig").path("tools").path(0).path("toolSpec");
        assertThat(spec.path("name").asText()).isEqualTo("get_weather");
        assertThat(spec.path("inputSchema").path("json").path("properties").has("city"))
                .isTrue();

        // Second turn, non-streaming: the call and its result go back to Bedrock as toolUse / toolResult blocks.
        ChatCompletion first = openAi().chat().completions().create(params.build());
        ChatCompletionMessageToolCall call =
                first.choices().get(0).message().toolCalls().orElseThrow().get(0);
        ChatCompletionMessageFunctionToolCall fn = call.asFunction();
        assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(Json.parse(fn.function().arguments()).get("city").asText()).isEqualTo("Paris");
        ChatCompletion second = openAi().chat()
                .completions()
                .create(params.addMessage(first.choices().get(0).message())
                        .addMessage(ChatCompletionToolMessageParam.builder()
                                .toolCallId(fn.id())
                                .content("18C and sunny")
                                .build())
                        .build());
        assertThat(second.choices().get(0).message().content()).contains("The tool said: 18C and sunny");
        JsonNode messages = last().json().path("messages");
        assertThat(messages).hasSize(3);
        JsonNode toolUse = messages.path(1).path("content").path(0).path("toolUse");
        assertThat(messages.path(1).path("role").asText()).isEqualTo("assistant");
        assertThat(toolUse.path("toolUseId").asText()).isEqualTo(BedrockWireFake.TOOL_ID);
        assertThat(toolUse.path("input").path("city").asText()).isEqualTo("Paris");
        JsonNode toolResult = messages.path(2).path("content").path(0).path("toolResult");
        assertThat(messages.path(2).path("role").asText()).isEqualTo("user");
        assertThat(toolResult.path("toolUseId").asText()).isEqualTo(BedrockWireFake.TOOL_ID);
        assertThat(toolResult.path("content").path(0).path("text").asText()).isEqualTo("18C and sunny");
    }

    @Test
    void image_goesUpAsBytes() {
        byte[] png = Base64.getDecoder()
                .decode(
                        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
        ChatCompletion completion = openAi().chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("claude")
                        .addMessage(ChatCompletionUserMessageParam.builder()
                                .contentOfArrayOfContentParts(List.of(
                                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder()
                                                .text("What is this?")
                                                .build()),
                                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                                        .url(dataUrl)
                                                        .build())
                                                .build())))
                                .build())
                        .build());
        assertThat(completion.choices().get(0).message().content()).contains("I see 1 image(s): png/" + png.length);
        JsonNode image =
                last().json().path("messages").path(0).path("content").path(1).path("image");
        assertThat(image.path("format").asText()).isEqualTo("png");
    }

    @Test
    void imageUrl_isTheClientsMistake() {
        assertThatThrownBy(() -> openAi().chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("claude")
                                .addMessage(ChatCompletionUserMessageParam.builder()
                                        .contentOfArrayOfContentParts(List.of(ChatCompletionContentPart.ofImageUrl(
                                                ChatCompletionContentPartImage.builder()
                                                        .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                                                .url("https://example.com/cat.png")
                                                                .build())
                                                        .build())))
                                        .build())
                                .build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("inline data");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "ThrottlingException, 429",
        "ValidationException, 400",
        "AccessDeniedException, 403",
        "ModelNotReadyException, 503",
        "ServiceUnavailableException, 503",
        "ModelTimeoutException, 503"
    })
    void bedrockErrors_reachTheClientWithTheirStatus(String type, int status) {
        String model = "node:br:err." + type;
        Class<? extends OpenAIServiceException> expected = switch (status) {
            case 429 -> RateLimitException.class;
            case 400 -> BadRequestException.class;
            case 403 -> PermissionDeniedException.class;
            default -> InternalServerException.class;
        };
        assertThatThrownBy(() -> openAi().chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model(model)
                                .addUserMessage("hi")
                                .build()))
                .isInstanceOf(expected)
                .satisfies(e ->
                        assertThat(((OpenAIServiceException) e).statusCode()).isEqualTo(status))
                .hasMessageContaining(type)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET, ACCESS_KEY));
        // The same through a stream: the error comes before the first byte, so it is a plain HTTP error.
        HttpResponse<String> r = gw.call(
                "POST",
                "/v1/chat/completions",
                token,
                "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(Json.parse(r.body()).path("error").path("message").asText()).contains(type);
    }

    @Test
    void streamCutMidway_becomesAnInBandError() {
        HttpResponse<String> r = gw.call(
                "POST",
                "/v1/chat/completions",
                token,
                "{\"model\":\"cutter\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains(BedrockWireFake.CUT_PREFIX);
        List<JsonNode> errors = r.body()
                .lines()
                .filter(l -> l.startsWith("data: {"))
                .map(l -> Json.parse(l.substring(6)))
                .filter(j -> j.has("error"))
                .toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).path("error").path("message").asText()).isNotBlank();
        assertThat(r.body()).endsWith("data: [DONE]\n\n");

        // The OpenAI SDK sees the partial answer and then the error.
        StringBuilder text = new StringBuilder();
        assertThatThrownBy(() -> {
                    try (StreamResponse<ChatCompletionChunk> stream = openAi().chat()
                            .completions()
                            .createStreaming(ChatCompletionCreateParams.builder()
                                    .model("cutter")
                                    .addUserMessage("hi")
                                    .build())) {
                        stream.stream()
                                .forEach(c -> c.choices()
                                        .forEach(ch -> ch.delta().content().ifPresent(text::append)));
                    }
                })
                .isInstanceOf(Exception.class);
        assertThat(text.toString()).isEqualTo(BedrockWireFake.CUT_PREFIX);
    }

    @Test
    void clientDisconnect_cancelsTheBedrockStream() throws Exception {
        fake.reset(); // a fresh disconnect latch: only this stream's hang-up counts
        byte[] body =
                "{\"model\":\"node:br:anthropic.slow-v1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.net.Socket socket =
                new java.net.Socket("127.0.0.1", Integer.parseInt(gw.baseUrl().replaceAll(".*:", "")))) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            String line;
            boolean sawData = false;
            while ((line = in.readLine()) != null) {
                if (line.contains("\"content\":\"t0")) {
                    sawData = true;
                    break;
                }
            }
            assertThat(sawData).isTrue();
        }
        // The client is gone: the Bedrock connection must be closed long before the fake's 10 s of deltas end.
        assertThat(fake.awaitDisconnect(java.time.Duration.ofSeconds(4))).isTrue();
    }

    @Test
    void ollamaClients_reachTheBedrockNode() {
        HttpResponse<String> unary = gw.call(
                "POST",
                "/api/chat",
                token,
                "{\"model\":\"claude\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(unary.statusCode()).as(unary.body()).isEqualTo(200);
        JsonNode answer = Json.parse(unary.body());
        assertThat(answer.path("message").path("content").asText()).isEqualTo(BedrockWireFake.ANSWER);
        assertThat(answer.path("model").asText()).isEqualTo("claude");
        assertThat(answer.path("done_reason").asText()).isEqualTo("stop");

        HttpResponse<String> streamed = gw.call(
                "POST",
                "/api/chat",
                token,
                "{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(streamed.statusCode()).isEqualTo(200);
        StringBuilder text = new StringBuilder();
        List<String> lines = streamed.body().lines().filter(l -> !l.isBlank()).toList();
        lines.forEach(
                l -> text.append(Json.parse(l).path("message").path("content").asText("")));
        assertThat(lines.size()).isGreaterThan(2);
        assertThat(text.toString()).isEqualTo(BedrockWireFake.ANSWER);
        assertThat(Json.parse(lines.get(lines.size() - 1)).path("done").asBoolean())
                .isTrue();
    }

    @Test
    void anthropicSdk_reachesTheBedrockNode() {
        AnthropicClient client = AnthropicOkHttpClient.builder()
                .apiKey(token)
                .baseUrl(gw.baseUrl())
                .maxRetries(0)
                .build();
        com.anthropic.models.messages.Message message = client.messages()
                .create(MessageCreateParams.builder()
                        .model("claude")
                        .maxTokens(1024)
                        .system("Be brief.")
                        .addUserMessage("Say hello")
                        .build());
        assertThat(message.content().get(0).asText().text()).isEqualTo(BedrockWireFake.ANSWER);
        assertThat(message.model().asString()).isEqualTo("claude");
        assertThat(message.usage().inputTokens()).isEqualTo(20);
        assertThat(message.usage().cacheReadInputTokens()).contains(100L);
        assertThat(message.usage().cacheCreationInputTokens()).contains(5L);
        assertThat(message.usage().outputTokens()).isEqualTo(9);
        assertThat(last().json().path("system").path(0).path("text").asText()).isEqualTo("Be brief.");
        assertThat(last().json().path("inferenceConfig").path("maxTokens").asInt())
                .isEqualTo(1024);

        // Streaming, with the SDK's accumulator.
        StringBuilder text = new StringBuilder();
        try (var stream = client.messages()
                .createStreaming(MessageCreateParams.builder()
                        .model("claude")
                        .maxTokens(1024)
                        .addUserMessage("Say hello")
                        .build())) {
            stream.stream()
                    .forEach(e -> e.contentBlockDelta()
                            .ifPresent(d -> d.delta().text().ifPresent(t -> text.append(t.text()))));
        }
        assertThat(text.toString()).isEqualTo(BedrockWireFake.ANSWER);
    }

    @Test
    void reasoning_mapsBothWays_withTheAnthropicSdk() {
        AnthropicClient client = AnthropicOkHttpClient.builder()
                .apiKey(token)
                .baseUrl(gw.baseUrl())
                .maxRetries(0)
                .build();
        fake.reasoning(true);
        try {
            com.anthropic.models.messages.Message message = client.messages()
                    .create(MessageCreateParams.builder()
                            .model("claude-think")
                            .maxTokens(4096)
                            .enabledThinking(2048)
                            .addUserMessage("Think, then say hello")
                            .build());
            var thinking = message.content().get(0).asThinking();
            assertThat(thinking.thinking()).isEqualTo(BedrockWireFake.THINKING);
            assertThat(thinking.signature()).isEqualTo(BedrockWireFake.SIGNATURE);
            assertThat(message.content().get(1).asText().text()).isEqualTo(BedrockWireFake.ANSWER);
            JsonNode sent = last().json();
            assertThat(sent.path("additionalModelRequestFields")
                            .path("thinking")
                            .path("budget_tokens")
                            .asInt())
                    .isEqualTo(2048);

            // Streamed, the reasoning arrives as thinking deltas with the signature.
            StringBuilder thought = new StringBuilder();
            List<String> signatures = new ArrayList<>();
            try (var stream = client.messages()
                    .createStreaming(MessageCreateParams.builder()
                            .model("claude-think")
                            .maxTokens(4096)
                            .enabledThinking(2048)
                            .addUserMessage("Think, then say hello")
                            .build())) {
                stream.stream()
                        .forEach(e -> e.contentBlockDelta().ifPresent(d -> {
                            d.delta().thinking().ifPresent(t -> thought.append(t.thinking()));
                            d.delta().signature().ifPresent(s -> signatures.add(s.signature()));
                        }));
            }
            assertThat(thought.toString()).isEqualTo(BedrockWireFake.THINKING);
            assertThat(signatures).containsExactly(BedrockWireFake.SIGNATURE);
        } finally {
            fake.reasoning(false);
        }
    }

    @Test
    void embeddings_titan_onBothSurfaces() {
        CreateEmbeddingResponse response = openAi().embeddings()
                .create(EmbeddingCreateParams.builder()
                        .model("titan")
                        .inputOfArrayOfStrings(List.of("one two", "three"))
                        .dimensions(256)
                        .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                        .build());
        assertThat(response.data()).hasSize(2);
        assertThat(response.data().get(0).embedding()).containsExactly(7.0f, 0.5f, -0.25f);
        assertThat(response.data().get(1).embedding()).containsExactly(5.0f, 0.5f, -0.25f);
        assertThat(response.model()).isEqualTo("titan");
        assertThat(response.usage().promptTokens()).isEqualTo(3);
        List<BedrockWireFake.Recorded> invokes = fake.requests().stream()
                .filter(r -> r.path().endsWith("/invoke"))
                .toList();
        JsonNode lastInvoke = invokes.get(invokes.size() - 1).json();
        assertThat(lastInvoke.path("inputText").asText()).isEqualTo("three");
        assertThat(lastInvoke.path("dimensions").asInt()).isEqualTo(256);

        // base64, the OpenAI SDK's other encoding
        CreateEmbeddingResponse b64 = openAi().embeddings()
                .create(EmbeddingCreateParams.builder()
                        .model("titan")
                        .input("abc")
                        .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64)
                        .build());
        assertThat(b64.data().get(0).embedding()).containsExactly(3.0f, 0.5f, -0.25f);

        HttpResponse<String> ollama =
                gw.call("POST", "/api/embed", token, "{\"model\":\"titan\",\"input\":[\"hello\"]}");
        assertThat(ollama.statusCode()).as(ollama.body()).isEqualTo(200);
        JsonNode body = Json.parse(ollama.body());
        assertThat(body.path("embeddings").path(0).path(0).asDouble()).isEqualTo(5.0);
        assertThat(body.path("model").asText()).isEqualTo("titan");
    }

    @Test
    void modelList_comesFromTheControlPlane() {
        HttpResponse<String> r = gw.call("GET", "/v1/models", token, null);
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        Json.parse(r.body()).path("data").forEach(m -> ids.add(m.path("id").asText()));
        assertThat(ids).contains("claude", "titan", "us.anthropic.claude-3-haiku-20240307-v1:0");
        assertThat(ids).doesNotContain("amazon.titan-text-old-v1"); // LEGACY lifecycle
        assertThat(fake.requests().stream().map(BedrockWireFake.Recorded::path))
                .contains("/foundation-models", "/inference-profiles");
    }

    @Test
    void pool_healthCheckAndDiscovery_goThroughTheControlPlane() {
        HttpResponse<String> check = gw.admin("POST", "/admin/nodes/" + nodeId + "/health-check", null);
        assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
        assertThat(Json.parse(check.body()).at("/health/status").asText()).isEqualTo("healthy");

        HttpResponse<String> sync = gw.admin("POST", "/admin/nodes/" + nodeId + "/models/sync", null);
        assertThat(sync.statusCode()).as(sync.body()).isEqualTo(200);
        assertThat(Json.parse(sync.body()).get("outcome").asText()).isEqualTo("synced");
        HttpResponse<String> stored = gw.admin("GET", "/admin/nodes/" + nodeId + "/models", null);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        Json.parse(stored.body()).forEach(m -> {
            if (m.path("is_available").asBoolean()) {
                names.add(m.path("name").asText());
            }
        });
        assertThat(names).contains("us.anthropic.claude-3-haiku-20240307-v1:0");
        assertThat(names).doesNotContain("amazon.titan-text-old-v1");
        // The credentials signed the control-plane calls too.
        assertThat(fake.requests().stream()
                        .filter(r -> r.path().equals("/foundation-models"))
                        .findFirst()
                        .orElseThrow()
                        .headers()
                        .get("authorization"))
                .contains(ACCESS_KEY);
    }

    @Test
    void admin_storesCredentialsEncrypted_andNeverReturnsThem() {
        assertThat(created.body()).doesNotContain(SECRET, ACCESS_KEY, SESSION);
        JsonNode view = Json.parse(created.body());
        assertThat(view.path("node_type").asText()).isEqualTo("bedrock");
        assertThat(view.path("aws_region").asText()).isEqualTo("eu-west-1");
        assertThat(view.path("has_aws_credentials").asBoolean()).isTrue();

        NodeEntity row = gw.bean(NodeRepository.class).findById(nodeId).orElseThrow();
        assertThat(row.awsSecretKeyEnc()).isNotBlank().doesNotContain(SECRET);
        assertThat(row.awsAccessKeyEnc()).isNotBlank().doesNotContain(ACCESS_KEY);
        assertThat(row.awsSessionTokenEnc()).isNotBlank().doesNotContain(SESSION);
        assertThat(row.awsRegion()).isEqualTo("eu-west-1");

        HttpResponse<String> list = gw.admin("GET", "/admin/nodes", null);
        assertThat(list.body()).doesNotContain(SECRET, ACCESS_KEY, SESSION);
        HttpResponse<String> one = gw.admin("GET", "/admin/nodes/" + nodeId, null);
        assertThat(one.body()).doesNotContain(SECRET, ACCESS_KEY, SESSION);
        assertThat(gw.bean(AuditLogRepository.class).findAll().toString()).doesNotContain(SECRET, ACCESS_KEY, SESSION);
    }

    @Test
    void admin_validatesBedrockFields() {
        // Only one half of the key pair.
        HttpResponse<String> half = gw.admin(
                "POST",
                "/admin/nodes",
                Json.writeString(Map.of(
                        "name",
                        "half",
                        "node_type",
                        "bedrock",
                        "base_url",
                        fake.baseUrl(),
                        "aws_region",
                        "us-east-1",
                        "aws_access_key_id",
                        ACCESS_KEY)));
        assertThat(half.statusCode()).isEqualTo(400);
        assertThat(half.body()).contains("aws_secret_access_key").doesNotContain(ACCESS_KEY);
        // No region and a URL it cannot be read from.
        HttpResponse<String> noRegion = gw.admin(
                "POST",
                "/admin/nodes",
                Json.writeString(Map.of("name", "noregion", "node_type", "bedrock", "base_url", fake.baseUrl())));
        assertThat(noRegion.statusCode()).isEqualTo(400);
        assertThat(noRegion.body()).contains("aws_region");
        // The endpoint override is subject to the SSRF policy like every node URL.
        HttpResponse<String> metadata = gw.admin(
                "POST",
                "/admin/nodes",
                Json.writeString(Map.of(
                        "name",
                        "meta",
                        "node_type",
                        "bedrock",
                        "base_url",
                        "http://169.254.169.254",
                        "aws_region",
                        "us-east-1")));
        assertThat(metadata.statusCode()).isEqualTo(400);
        assertThat(metadata.body()).contains("base_url");
        // Default credentials chain: no keys stored.
        HttpResponse<String> chain = gw.admin(
                "POST",
                "/admin/nodes",
                Json.writeString(Map.of(
                        "name",
                        "chain",
                        "node_type",
                        "bedrock",
                        "base_url",
                        fake.baseUrl(),
                        "region",
                        "us-west-2",
                        "is_active",
                        false)));
        assertThat(chain.statusCode()).as(chain.body()).isEqualTo(201);
        assertThat(Json.parse(chain.body()).path("has_aws_credentials").asBoolean())
                .isFalse();
        assertThat(Json.parse(chain.body()).path("aws_region").asText()).isEqualTo("us-west-2");
        // AWS fields on another node type are refused.
        HttpResponse<String> foreign = gw.admin(
                "POST",
                "/admin/nodes",
                Json.writeString(Map.of(
                        "name",
                        "foreign",
                        "node_type",
                        "openai",
                        "base_url",
                        fake.baseUrl(),
                        "aws_secret_access_key",
                        SECRET)));
        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(foreign.body()).doesNotContain(SECRET);
    }
}
