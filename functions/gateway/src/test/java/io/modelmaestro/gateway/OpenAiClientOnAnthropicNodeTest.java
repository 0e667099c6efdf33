package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.modelmaestro.gateway.support.AnthropicWireFake;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reverse direction: the official OpenAI Java SDK calling a model on an {@code anthropic} node, through the
 * canonical model (OpenAI request → Anthropic request, Anthropic answer and stream → OpenAI).
 */
class OpenAiClientOnAnthropicNodeTest {

    static final String NODE_KEY = "sk-ant-reverse-node";

    static FakeUpstream claude;
    static Gateway gw;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        claude = AnthropicWireFake.install(new FakeUpstream(), List.of("claude-sonnet-4-5"));
        gw = Gateway.start();
        String node = Json.writeString(Map.of(
                "name",
                "anthropic",
                "code",
                "ant",
                "node_type",
                "anthropic",
                "base_url",
                claude.baseUrl(),
                "api_key",
                NODE_KEY));
        long a = Json.parse(gw.admin("POST", "/admin/nodes", node).body())
                .get("id")
                .asLong();
        gw.map("sonnet", "claude-sonnet-4-5", a);
        client = OpenAIOkHttpClient.builder()
                .apiKey(gw.createUser("olivia"))
                .baseUrl(gw.baseUrl() + "/v1")
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        gw.close();
        claude.close();
    }

    static JsonNode lastSent() {
        List<FakeUpstream.Recorded> calls = claude.requests("/v1/messages");
        FakeUpstream.Recorded call = calls.get(calls.size() - 1);
        assertThat(call.headers())
                .containsEntry("x-api-key", NODE_KEY)
                .containsEntry("anthropic-version", "2023-06-01")
                .doesNotContainKey("authorization");
        return Json.parse(call.body());
    }

    @Test
    void text_nonStreaming_with_usage_including_the_cache() {
        ChatCompletion completion = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("sonnet")
                        .addDeveloperMessage("Be brief.")
                        .addUserMessage("Say hello")
                        .temperature(1.5)
                        .build());

        assertThat(completion.choices().get(0).message().content()).contains(AnthropicWireFake.ANSWER);
        assertThat(completion.model()).isEqualTo("sonnet");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        // 20 uncached + 100 read + 5 written: OpenAI's prompt_tokens include cached tokens.
        assertThat(completion.usage().get().promptTokens()).isEqualTo(125);
        assertThat(completion.usage().get().completionTokens()).isEqualTo(9);
        assertThat(completion.usage().get().promptTokensDetails().get().cachedTokens())
                .contains(100L);

        JsonNode sent = lastSent();
        assertThat(sent.get("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(4096);
        assertThat(sent.get("system").asText()).isEqualTo("Be brief.");
        assertThat(sent.get("temperature").asDouble()).isEqualTo(1.0);
        assertThat(sent.get("messages")).hasSize(1);
        assertThat(sent.get("messages").get(0).get("role").asText()).isEqualTo("user");
    }

    @Test
    void text_streaming_with_usage_chunk() {
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model("sonnet")
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
        assertThat(text.toString()).isEqualTo(AnthropicWireFake.ANSWER);
        assertThat(chunks).allSatisfy(c -> assertThat(c.model()).isEqualTo("sonnet"));
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.usage().get().promptTokens()).isEqualTo(125);
        assertThat(last.usage().get().completionTokens()).isEqualTo(9);
        assertThat(lastSent().get("stream").asBoolean()).isTrue();
    }

    @Test
    void tools_roundTrip_nonStreaming() {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model("sonnet")
                .addUserMessage("What is the weather in Paris?")
                .addTool(OpenAiSdkTest.weatherTool());
        ChatCompletion first = client.chat().completions().create(params.build());
        ChatCompletionMessageFunctionToolCall call = first.choices()
                .get(0)
                .message()
                .toolCalls()
                .orElseThrow()
                .get(0)
                .asFunction();
        assertThat(call.id()).isEqualTo(AnthropicWireFake.TOOL_ID);
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(Json.parse(call.function().arguments())).isEqualTo(Json.parse(AnthropicWireFake.TOOL_INPUT));
        assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        JsonNode tools = lastSent().get("tools");
        assertThat(tools.get(0).get("name").asText()).isEqualTo("get_weather");
        assertThat(tools.get(0).get("input_schema").get("required").get(0).asText())
                .isEqualTo("city");

        ChatCompletion second = client.chat()
                .completions()
                .create(params.addMessage(first.choices().get(0).message())
                        .addMessage(ChatCompletionToolMessageParam.builder()
                                .toolCallId(call.id())
                                .content("18C and sunny")
                                .build())
                        .build());
        assertThat(second.choices().get(0).message().content()).contains("The tool said: 18C and sunny");

        JsonNode messages = lastSent().get("messages");
        assertThat(messages).hasSize(3);
        JsonNode use = messages.get(1).get("content").get(0);
        assertThat(use.get("type").asText()).isEqualTo("tool_use");
        assertThat(use.get("id").asText()).isEqualTo(call.id());
        assertThat(use.get("input")).isEqualTo(Json.parse(AnthropicWireFake.TOOL_INPUT));
        JsonNode result = messages.get(2).get("content").get(0);
        assertThat(messages.get(2).get("role").asText()).isEqualTo("user");
        assertThat(result.get("type").asText()).isEqualTo("tool_result");
        assertThat(result.get("tool_use_id").asText()).isEqualTo(call.id());
        assertThat(result.get("content").asText()).isEqualTo("18C and sunny");
    }

    @Test
    void tools_streaming_argumentsArriveWhole() {
        StringBuilder args = new StringBuilder();
        List<String> names = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> finish = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model("sonnet")
                        .addUserMessage("Weather in Paris?")
                        .addTool(OpenAiSdkTest.weatherTool())
                        .build())) {
            stream.stream()
                    .forEach(chunk -> chunk.choices().forEach(c -> {
                        c.delta()
                                .toolCalls()
                                .ifPresent(tcs -> tcs.forEach(tc -> {
                                    tc.id().ifPresent(ids::add);
                                    tc.function().ifPresent(f -> {
                                        f.name().ifPresent(names::add);
                                        f.arguments().ifPresent(args::append);
                                    });
                                }));
                        c.finishReason().ifPresent(r -> finish.add(r.asString()));
                    }));
        }
        assertThat(names).containsExactly("get_weather");
        assertThat(ids).containsExactly(AnthropicWireFake.TOOL_ID);
        assertThat(Json.parse(args.toString())).isEqualTo(Json.parse(AnthropicWireFake.TOOL_INPUT));
        assertThat(finish).containsExactly("tool_calls");
    }

    @Test
    void reasoning_effort_becomes_a_thinking_budget_and_thinking_comes_back_as_reasoning_content() {
        ChatCompletion completion = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("sonnet")
                        .addUserMessage("Think first")
                        .maxCompletionTokens(16000)
                        .reasoningEffort(com.openai.models.ReasoningEffort.MEDIUM)
                        .build());
        JsonNode sent = lastSent();
        assertThat(sent.get("thinking").get("type").asText()).isEqualTo("enabled");
        assertThat(sent.get("thinking").get("budget_tokens").asInt()).isEqualTo(4096);
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(16000);
        assertThat(completion
                        .choices()
                        .get(0)
                        .message()
                        ._additionalProperties()
                        .get("reasoning_content")
                        .asString())
                .contains(AnthropicWireFake.THINKING);
        assertThat(completion.choices().get(0).message().content()).contains(AnthropicWireFake.ANSWER);
    }
}
