package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextConfig;
import io.modelmaestro.gateway.support.AnthropicWireFake;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OllamaWireFake;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.ActivityLogEntity;
import io.modelmaestro.persistence.ActivityLogRepository;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official OpenAI Java SDK's Responses API ({@code client.responses()}) against the gateway, in front of fake
 * OpenAI-compatible, Ollama and Anthropic nodes that speak their real wire formats: text, streaming, a function-call
 * round trip, {@code previous_response_id} (per user), structured output. Every response is validated by the SDK's
 * own model classes ({@code validate()}), so a missing or mistyped field fails here.
 */
class ResponsesSdkTest {

    static FakeUpstream openai;
    static FakeUpstream ollama;
    static FakeUpstream claude;
    static Gateway gw;
    static OpenAIClient alice;
    static OpenAIClient bob;
    static String aliceToken;
    static String bobToken;

    @BeforeAll
    static void start() {
        openai = OpenAiWireFake.install(new FakeUpstream(), List.of("real-openai"), false);
        // Ollama nodes get canonical requests through their OpenAI layer (/v1), Ollama-style (reasoning field).
        ollama = OpenAiWireFake.install(
                OllamaWireFake.install(new FakeUpstream(), List.of("real-ollama")), List.of("real-ollama"), true);
        claude = AnthropicWireFake.install(new FakeUpstream(), List.of("real-anthropic"));
        gw = Gateway.start();
        gw.map("m-openai", "real-openai", gw.createNode("vllm", "oa", "openai", openai.baseUrl()));
        gw.map("m-ollama", "real-ollama", gw.createNode("ollama", "ol", "ollama", ollama.baseUrl()));
        gw.map("m-anthropic", "real-anthropic", gw.createNode("claude", "an", "anthropic", claude.baseUrl()));
        aliceToken = gw.createUser("alice");
        bobToken = gw.createUser("bob");
        alice = client(aliceToken);
        bob = client(bobToken);
    }

    @AfterAll
    static void stop() {
        gw.close();
        openai.close();
        ollama.close();
        claude.close();
    }

    static OpenAIClient client(String token) {
        return OpenAIOkHttpClient.builder()
                .apiKey(token)
                .baseUrl(gw.baseUrl() + "/v1")
                .maxRetries(0)
                .build();
    }

    static String answerOf(String model) {
        return switch (model) {
            case "m-openai", "m-ollama" -> OpenAiWireFake.ANSWER;
            default -> AnthropicWireFake.ANSWER;
        };
    }

    /** The body the model's node received last, with the path its wire format uses. */
    static JsonNode lastSent(String model) {
        FakeUpstream up;
        String path;
        switch (model) {
            case "m-openai" -> {
                up = openai;
                path = "/v1/chat/completions";
            }
            case "m-ollama" -> {
                up = ollama;
                path = "/v1/chat/completions";
            }
            default -> {
                up = claude;
                path = "/v1/messages";
            }
        }
        List<FakeUpstream.Recorded> calls = up.requests(path);
        assertThat(calls).as("requests to %s", path).isNotEmpty();
        return Json.parse(calls.get(calls.size() - 1).body());
    }

    /** The upstream's conversation turns, whatever its format calls them. */
    static String turns(String model) {
        return lastSent(model).path("messages").toString();
    }

    static String outputText(Response r) {
        StringBuilder text = new StringBuilder();
        for (ResponseOutputItem item : r.output()) {
            item.message()
                    .ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> text.append(t.text()))));
        }
        return text.toString();
    }

    static FunctionTool weatherTool() {
        return FunctionTool.builder()
                .name("get_weather")
                .description("Current weather for a city")
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .strict(false)
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"m-openai", "m-ollama", "m-anthropic"})
    void text_nonStreaming(String model) {
        Response r = alice.responses()
                .create(ResponseCreateParams.builder()
                        .model(model)
                        .instructions("Be brief.")
                        .input("Say hello")
                        .maxOutputTokens(300)
                        .temperature(0.5)
                        .metadata(ResponseCreateParams.Metadata.builder()
                                .putAdditionalProperty("ticket", JsonValue.from("T-1"))
                                .build())
                        .build());
        r.validate();
        assertThat(r.id()).startsWith("resp_");
        assertThat(outputText(r)).isEqualTo(answerOf(model));
        assertThat(r.model().asString()).isEqualTo(model);
        assertThat(r.status()).contains(com.openai.models.responses.ResponseStatus.COMPLETED);
        assertThat(r.instructions().get().asString()).isEqualTo("Be brief.");
        assertThat(r.maxOutputTokens()).contains(300L);
        assertThat(r.metadata().get()._additionalProperties().get("ticket")).isEqualTo(JsonValue.from("T-1"));
        var usage = r.usage().orElseThrow();
        assertThat(usage.totalTokens()).isEqualTo(usage.inputTokens() + usage.outputTokens());
        if (model.equals("m-anthropic")) {
            // 20 uncached + 100 cache reads + 5 cache writes; input_tokens includes the cache, as OpenAI counts it.
            assertThat(usage.inputTokens()).isEqualTo(125);
            assertThat(usage.inputTokensDetails().cachedTokens()).isEqualTo(100);
            assertThat(usage.outputTokens()).isEqualTo(9);
        } else {
            assertThat(usage.inputTokens()).isEqualTo(12);
            assertThat(usage.outputTokens()).isEqualTo(7);
        }

        if (model.equals("m-ollama")) {
            // Ollama's reasoning field comes back as a reasoning item with raw reasoning_text (no summary asked for).
            var reasoning = r.output().get(0).reasoning().orElseThrow();
            assertThat(reasoning.content().orElseThrow().get(0).text()).isEqualTo("thinking...");
            assertThat(reasoning.summary()).isEmpty();
        }

        JsonNode sent = lastSent(model);
        assertThat(sent.path("model").asText()).isEqualTo(model.replace("m-", "real-"));
        switch (model) {
            case "m-openai", "m-ollama" -> {
                assertThat(sent.at("/messages/0/role").asText()).isEqualTo("system");
                assertThat(sent.at("/messages/0/content").asText()).isEqualTo("Be brief.");
                assertThat(sent.at("/messages/1/content").asText()).isEqualTo("Say hello");
                assertThat(sent.path("max_tokens")
                                .asInt(sent.path("max_completion_tokens").asInt()))
                        .isEqualTo(300);
            }
            default -> {
                assertThat(sent.path("system").toString()).contains("Be brief.");
                assertThat(sent.path("max_tokens").asInt()).isEqualTo(300);
                assertThat(sent.at("/messages/0/content").toString()).contains("Say hello");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"m-openai", "m-ollama", "m-anthropic"})
    void text_streaming_has_the_exact_event_order_and_usage(String model) {
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = alice.responses()
                .createStreaming(ResponseCreateParams.builder()
                        .model(model)
                        .input("Say hello")
                        .build())) {
            stream.stream().forEach(events::add);
        }
        events.forEach(ResponseStreamEvent::validate);
        StringBuilder text = new StringBuilder();
        events.forEach(e -> e.outputTextDelta().ifPresent(d -> text.append(d.delta())));
        assertThat(text.toString()).isEqualTo(answerOf(model));
        assertThat(events.get(0).isCreated()).isTrue();
        assertThat(events.get(1).isInProgress()).isTrue();
        assertThat(events.get(2).isOutputItemAdded()).isTrue();
        assertThat(events.get(3).isContentPartAdded()).isTrue();
        ResponseStreamEvent last = events.get(events.size() - 1);
        assertThat(last.isCompleted()).isTrue();
        Response done = last.asCompleted().response();
        assertThat(outputText(done)).isEqualTo(answerOf(model));
        assertThat(done.model().asString()).isEqualTo(model);
        assertThat(done.usage().orElseThrow().outputTokens()).isPositive();
        assertThat(events.get(events.size() - 2).isOutputItemDone()).isTrue();
        assertThat(events.get(events.size() - 3).isContentPartDone()).isTrue();
        assertThat(events.get(events.size() - 4).isOutputTextDone()).isTrue();
        assertThat(events.get(events.size() - 4).asOutputTextDone().text()).isEqualTo(answerOf(model));
        // sequence_number counts every event from 0
        for (int i = 0; i < events.size(); i++) {
            assertThat(Json.parse(Json.writeString(events.get(i)._json().orElseThrow()))
                            .path("sequence_number")
                            .asLong())
                    .isEqualTo(i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"m-openai", "m-ollama", "m-anthropic"})
    void function_call_round_trip_with_items(String model) {
        ResponseCreateParams.Builder first = ResponseCreateParams.builder()
                .model(model)
                .input("What is the weather in Paris?")
                .addTool(weatherTool())
                .store(false);
        Response r1 = alice.responses().create(first.build());
        r1.validate();
        ResponseFunctionToolCall call = r1.output().stream()
                .flatMap(i -> i.functionCall().stream())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no function_call in " + r1.output()));
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(Json.parse(call.arguments()).path("city").asText()).isEqualTo("Paris");
        assertThat(call.callId()).isNotBlank();

        List<ResponseInputItem> items = new ArrayList<>();
        items.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
                .role(EasyInputMessage.Role.USER)
                .content("What is the weather in Paris?")
                .build()));
        items.add(ResponseInputItem.ofFunctionCall(call));
        items.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId(call.callId())
                .output("18C and sunny")
                .build()));
        Response r2 = alice.responses()
                .create(ResponseCreateParams.builder()
                        .model(model)
                        .inputOfResponse(items)
                        .addTool(weatherTool())
                        .store(false)
                        .build());
        r2.validate();
        assertThat(outputText(r2)).contains("The tool said: 18C and sunny");
        // The result reached the node tied to the call's id, after the assistant's call.
        String turns = turns(model);
        assertThat(turns).contains("18C and sunny").contains("get_weather");
        assertThat(turns).contains(call.callId());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"m-openai", "m-ollama", "m-anthropic"})
    void function_call_streamed_then_answered_through_previous_response_id(String model) {
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = alice.responses()
                .createStreaming(ResponseCreateParams.builder()
                        .model(model)
                        .input("What is the weather in Paris?")
                        .addTool(weatherTool())
                        .build())) {
            stream.stream().forEach(events::add);
        }
        events.forEach(ResponseStreamEvent::validate);
        StringBuilder args = new StringBuilder();
        events.forEach(e -> e.functionCallArgumentsDelta().ifPresent(d -> args.append(d.delta())));
        String done = events.stream()
                .flatMap(e -> e.functionCallArgumentsDone().stream())
                .findFirst()
                .orElseThrow()
                .arguments();
        assertThat(done).isEqualTo(args.toString());
        assertThat(Json.parse(done).path("city").asText()).isEqualTo("Paris");
        Response first = events.get(events.size() - 1).asCompleted().response();
        ResponseFunctionToolCall call = first.output().stream()
                .flatMap(i -> i.functionCall().stream())
                .findFirst()
                .orElseThrow();
        assertThat(call.arguments()).isEqualTo(done);

        Response second = alice.responses()
                .create(ResponseCreateParams.builder()
                        .model(model)
                        .previousResponseId(first.id())
                        .inputOfResponse(List.of(
                                ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                                        .callId(call.callId())
                                        .output("21C")
                                        .build())))
                        .addTool(weatherTool())
                        .build());
        second.validate();
        assertThat(second.previousResponseId()).contains(first.id());
        assertThat(outputText(second)).contains("The tool said: 21C");
        assertThat(turns(model)).contains("What is the weather in Paris?").contains("21C");
    }

    @Test
    void previous_response_id_continues_the_conversation_for_its_owner_only() {
        Response first = alice.responses()
                .create(ResponseCreateParams.builder()
                        .model("m-openai")
                        .input("My name is Ann.")
                        .build());
        Response second = alice.responses()
                .create(ResponseCreateParams.builder()
                        .model("m-openai")
                        .previousResponseId(first.id())
                        .input("What is my name?")
                        .build());
        second.validate();
        JsonNode messages = lastSent("m-openai").path("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0).path("content").asText()).isEqualTo("My name is Ann.");
        assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(1).path("content").asText()).isEqualTo(OpenAiWireFake.ANSWER);
        assertThat(messages.get(2).path("content").asText()).isEqualTo("What is my name?");

        // Bob knows the id but cannot continue, read or delete Alice's response.
        int before = openai.requests("/v1/chat/completions").size();
        assertThatThrownBy(() -> bob.responses()
                        .create(ResponseCreateParams.builder()
                                .model("m-openai")
                                .previousResponseId(first.id())
                                .input("What is her name?")
                                .build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("not found");
        assertThat(openai.requests("/v1/chat/completions")).hasSize(before);
        assertThat(gw.call("GET", "/v1/responses/" + first.id(), bobToken, null).statusCode())
                .isEqualTo(404);
        assertThat(gw.call("DELETE", "/v1/responses/" + first.id(), bobToken, null)
                        .statusCode())
                .isEqualTo(404);

        // Alice reads it back (through the SDK), deletes it, and then it is gone.
        Response read = alice.responses().retrieve(first.id());
        assertThat(read.id()).isEqualTo(first.id());
        assertThat(outputText(read)).isEqualTo(OpenAiWireFake.ANSWER);
        alice.responses().delete(first.id());
        HttpResponse<String> gone = gw.call("GET", "/v1/responses/" + first.id(), aliceToken, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(Json.parse(gone.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
        // The second response still stands on its own history.
        assertThat(alice.responses().retrieve(second.id()).id()).isEqualTo(second.id());
    }

    @Test
    void reasoning_effort_goes_up_and_streamed_reasoning_comes_back_as_summary_events() {
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = alice.responses()
                .createStreaming(ResponseCreateParams.builder()
                        .model("m-ollama")
                        .input("Think first")
                        .reasoning(com.openai.models.Reasoning.builder()
                                .effort(com.openai.models.ReasoningEffort.HIGH)
                                .summary(com.openai.models.Reasoning.Summary.AUTO)
                                .build())
                        .build())) {
            stream.stream().forEach(events::add);
        }
        events.forEach(ResponseStreamEvent::validate);
        assertThat(lastSent("m-ollama").path("reasoning_effort").asText()).isEqualTo("high");
        assertThat(events.get(2).asOutputItemAdded().item().isReasoning()).isTrue();
        assertThat(events.get(3).isReasoningSummaryPartAdded()).isTrue();
        StringBuilder summary = new StringBuilder();
        events.forEach(e -> e.reasoningSummaryTextDelta().ifPresent(d -> summary.append(d.delta())));
        assertThat(summary.toString()).isEqualTo("thinking...");
        Response done = events.get(events.size() - 1).asCompleted().response();
        assertThat(done.output().get(0).asReasoning().summary().get(0).text()).isEqualTo("thinking...");
        assertThat(done.reasoning().orElseThrow().effort()).contains(com.openai.models.ReasoningEffort.HIGH);
        assertThat(outputText(done)).isEqualTo(OpenAiWireFake.ANSWER);
    }

    @Test
    void store_false_is_not_kept() {
        Response r = alice.responses()
                .create(ResponseCreateParams.builder()
                        .model("m-openai")
                        .input("Forget me")
                        .store(false)
                        .build());
        assertThat(r._additionalProperties().get("store")).isEqualTo(JsonValue.from(false));
        assertThat(gw.call("GET", "/v1/responses/" + r.id(), aliceToken, null).statusCode())
                .isEqualTo(404);
        assertThatThrownBy(() -> alice.responses()
                        .create(ResponseCreateParams.builder()
                                .model("m-openai")
                                .previousResponseId(r.id())
                                .input("Again")
                                .build()))
                .isInstanceOf(BadRequestException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"m-openai", "m-ollama", "m-anthropic"})
    void structured_output_reaches_the_node_in_its_own_format(String model) {
        Map<String, Object> schema = Map.of(
                "type",
                "object",
                "properties",
                Map.of("greeting", Map.of("type", "string")),
                "required",
                List.of("greeting"),
                "additionalProperties",
                false);
        ResponseFormatTextJsonSchemaConfig.Schema.Builder s = ResponseFormatTextJsonSchemaConfig.Schema.builder();
        schema.forEach((k, v) -> s.putAdditionalProperty(k, JsonValue.from(v)));
        Response r = alice.responses()
                .create(ResponseCreateParams.builder()
                        .model(model)
                        .input("Greet me")
                        .text(ResponseTextConfig.builder()
                                .format(ResponseFormatTextJsonSchemaConfig.builder()
                                        .name("greeting")
                                        .schema(s.build())
                                        .strict(true)
                                        .build())
                                .build())
                        .build());
        r.validate();
        assertThat(r.text().orElseThrow().format().orElseThrow().isJsonSchema()).isTrue();
        JsonNode expected = Json.mapper().valueToTree(schema);
        JsonNode sent = lastSent(model);
        switch (model) {
            case "m-openai", "m-ollama" -> {
                assertThat(sent.at("/response_format/type").asText()).isEqualTo("json_schema");
                assertThat(sent.at("/response_format/json_schema/name").asText())
                        .isEqualTo("greeting");
                assertThat(sent.at("/response_format/json_schema/schema")).isEqualTo(expected);
            }
            default -> assertThat(sent.at("/output_config/format/schema")).isEqualTo(expected);
        }
    }

    @Test
    void each_request_leaves_one_activity_row_in_the_responses_format() {
        gw.flushActivity(); // rows of earlier tests may still be on their way
        long before = gw.bean(ActivityLogRepository.class).count();
        alice.responses()
                .create(ResponseCreateParams.builder()
                        .model("m-anthropic")
                        .input("count me")
                        .build());
        try (StreamResponse<ResponseStreamEvent> stream = alice.responses()
                .createStreaming(ResponseCreateParams.builder()
                        .model("m-ollama")
                        .input("count me too")
                        .build())) {
            stream.stream().forEach(e -> {});
        }
        gw.flushActivity();
        List<ActivityLogEntity> rows = gw.bean(ActivityLogRepository.class).findAllOrderByIdDesc();
        assertThat(gw.bean(ActivityLogRepository.class).count()).isEqualTo(before + 2);
        ActivityLogEntity streamed = rows.get(0);
        ActivityLogEntity unary = rows.get(1);
        assertThat(unary.clientFormat()).isEqualTo("responses");
        assertThat(unary.requestType()).isEqualTo("responses");
        assertThat(unary.modelName()).isEqualTo("m-anthropic");
        assertThat(unary.statusCode()).isEqualTo(200);
        assertThat(unary.promptTokens()).isEqualTo(125);
        assertThat(unary.source()).isEqualTo("OpenAI SDK");
        assertThat(streamed.streamed()).isTrue();
        assertThat(streamed.clientFormat()).isEqualTo("responses");
        assertThat(streamed.completionTokens()).isEqualTo(7);
    }
}
