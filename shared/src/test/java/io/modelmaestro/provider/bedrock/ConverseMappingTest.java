package io.modelmaestro.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.error.HttpStatusMapping;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.GenerationParams;
import io.modelmaestro.core.model.Message;
import io.modelmaestro.core.model.ReasoningConfig;
import io.modelmaestro.core.model.Role;
import io.modelmaestro.core.model.ToolChoice;
import io.modelmaestro.core.model.ToolSpec;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStart;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/** The pure parts of the Bedrock mapping: request building, stream decoding, stop reasons, usage, errors. */
class ConverseMappingTest {

    static final String CLAUDE = "anthropic.claude-3-haiku-20240307-v1:0";

    static ChatRequest request(List<Message> messages, List<ToolSpec> tools, ToolChoice choice) {
        return new ChatRequest(
                "m",
                List.of(new ContentPart.Text("sys")),
                messages,
                tools,
                choice,
                new GenerationParams(50, 0.2, null, 40, List.of("END"), 7L, null, null, null),
                null,
                new ReasoningConfig(true, "high", null),
                false,
                null);
    }

    static ToolSpec tool() {
        return new ToolSpec("get_weather", "Weather", Json.parse("{\"type\":\"object\",\"properties\":{}}"));
    }

    @Test
    void toolResults_becomeUserTurns_andTurnsOfOneRoleAreMerged() {
        List<Message> messages = List.of(
                Message.text(Role.USER, "weather?"),
                new Message(
                        Role.ASSISTANT,
                        List.of(
                                new ContentPart.Reasoning("unsigned", null),
                                new ContentPart.ToolCall("t1", "get_weather", "{\"city\":\"Paris\"}")),
                        null),
                new Message(Role.TOOL, List.of(new ContentPart.ToolResult("t1", "sunny", true)), null),
                Message.text(Role.USER, "and tomorrow?"),
                Message.text(Role.SYSTEM, "late system"));
        ConverseRequest r =
                CanonicalToConverse.converse(request(messages, List.of(tool()), new ToolChoice.Auto()), CLAUDE);

        assertThat(r.system()).extracting(b -> b.text()).containsExactly("sys", "late system");
        assertThat(r.messages()).hasSize(3);
        assertThat(r.messages().get(1).content()).hasSize(1); // unsigned reasoning left out
        assertThat(r.messages()
                        .get(1)
                        .content()
                        .get(0)
                        .toolUse()
                        .input()
                        .asMap()
                        .get("city")
                        .asString())
                .isEqualTo("Paris");
        var user = r.messages().get(2);
        assertThat(user.roleAsString()).isEqualTo("user");
        assertThat(user.content()).hasSize(2);
        assertThat(user.content().get(0).toolResult().toolUseId()).isEqualTo("t1");
        assertThat(user.content().get(0).toolResult().statusAsString()).isEqualTo("error");
        assertThat(user.content().get(1).text()).isEqualTo("and tomorrow?");
        assertThat(r.inferenceConfig().maxTokens()).isEqualTo(50);
        assertThat(r.inferenceConfig().stopSequences()).containsExactly("END");
        assertThat(r.toolConfig().toolChoice().auto()).isNotNull();
        var extra = r.additionalModelRequestFields().asMap();
        assertThat(extra.get("top_k").asNumber().intValue()).isEqualTo(40);
        assertThat(extra.get("thinking").asMap().get("budget_tokens").asNumber().intValue())
                .isEqualTo(16_384);
    }

    @Test
    void toolChoiceNone_dropsTools_unlessTheHistoryHasToolBlocks() {
        ConverseRequest plain = CanonicalToConverse.converse(
                request(List.of(Message.text(Role.USER, "hi")), List.of(tool()), new ToolChoice.None()),
                "amazon.nova-lite-v1:0");
        assertThat(plain.toolConfig()).isNull();
        assertThat(plain.additionalModelRequestFields()).isNull(); // not an Anthropic model
        ConverseRequest named = CanonicalToConverse.converse(
                request(List.of(Message.text(Role.USER, "hi")), List.of(tool()), new ToolChoice.Named("get_weather")),
                CLAUDE);
        assertThat(named.toolConfig().toolChoice().tool().name()).isEqualTo("get_weather");
    }

    @Test
    void urlImages_andUnknownImageTypes_areRefused() {
        Message url = new Message(Role.USER, List.of(new ContentPart.Image(null, null, "https://x/y.png")), null);
        assertThatThrownBy(() -> CanonicalToConverse.converse(request(List.of(url), List.of(), null), CLAUDE))
                .isInstanceOf(GatewayException.InvalidRequest.class);
        Message tiff = new Message(Role.USER, List.of(new ContentPart.Image("image/tiff", "AAAA", null)), null);
        assertThatThrownBy(() -> CanonicalToConverse.converse(request(List.of(tiff), List.of(), null), CLAUDE))
                .isInstanceOf(GatewayException.InvalidRequest.class)
                .hasMessageContaining("image/tiff");
    }

    @Test
    void stream_mapsBlocks_holdsTheStopUntilUsage() {
        ConverseStreamDecoder d = new ConverseStreamDecoder("id1", "m");
        List<StreamEvent> out = new ArrayList<>();
        List<ConverseStreamOutput> events = List.of(
                MessageStartEvent.builder().role("assistant").build(),
                delta(
                        0,
                        ContentBlockDelta.fromReasoningContent(
                                ReasoningContentBlockDelta.builder().text("hmm").build())),
                delta(
                        0,
                        ContentBlockDelta.fromReasoningContent(ReasoningContentBlockDelta.builder()
                                .signature("sig")
                                .build())),
                ContentBlockStopEvent.builder().contentBlockIndex(0).build(),
                delta(1, ContentBlockDelta.fromText("Hel")),
                delta(1, ContentBlockDelta.fromText("lo")),
                ContentBlockStopEvent.builder().contentBlockIndex(1).build(),
                ContentBlockStartEvent.builder()
                        .contentBlockIndex(2)
                        .start(ContentBlockStart.fromToolUse(ToolUseBlockStart.builder()
                                .toolUseId("t9")
                                .name("f")
                                .build()))
                        .build(),
                delta(
                        2,
                        ContentBlockDelta.fromToolUse(
                                ToolUseBlockDelta.builder().input("{\"a\"").build())),
                delta(
                        2,
                        ContentBlockDelta.fromToolUse(
                                ToolUseBlockDelta.builder().input(":1}").build())),
                ContentBlockStopEvent.builder().contentBlockIndex(2).build(),
                MessageStopEvent.builder().stopReason("tool_use").build());
        events.forEach(e -> out.addAll(d.decode(e)));
        assertThat(out).noneMatch(e -> e instanceof StreamEvent.MessageStop);
        out.addAll(d.decode(ConverseStreamMetadataEvent.builder()
                .usage(TokenUsage.builder()
                        .inputTokens(10)
                        .outputTokens(3)
                        .cacheReadInputTokens(4)
                        .cacheWriteInputTokens(1)
                        .build())
                .build()));
        assertThat(d.finish()).isEmpty();
        assertThat(out)
                .containsExactly(
                        new StreamEvent.MessageStart("id1", "m"),
                        new StreamEvent.BlockStart(0, StreamEvent.BlockKind.REASONING, null, null),
                        new StreamEvent.ReasoningDelta(0, "hmm", null),
                        new StreamEvent.ReasoningDelta(0, "", "sig"),
                        new StreamEvent.BlockStop(0),
                        new StreamEvent.BlockStart(1, StreamEvent.BlockKind.TEXT, null, null),
                        new StreamEvent.TextDelta(1, "Hel"),
                        new StreamEvent.TextDelta(1, "lo"),
                        new StreamEvent.BlockStop(1),
                        new StreamEvent.BlockStart(2, StreamEvent.BlockKind.TOOL_CALL, "t9", "f"),
                        new StreamEvent.ToolArgsDelta(2, "{\"a\""),
                        new StreamEvent.ToolArgsDelta(2, ":1}"),
                        new StreamEvent.BlockStop(2),
                        new StreamEvent.UsageUpdate(new Usage(15, 3, 4, 1)),
                        new StreamEvent.MessageStop(FinishReason.TOOL_CALLS, "tool_use"));
    }

    @Test
    void stream_withoutMetadata_closesBlocksAndStopsAtTheEnd() {
        ConverseStreamDecoder d = new ConverseStreamDecoder("id", "m");
        List<StreamEvent> out = new ArrayList<>(d.decode(delta(0, ContentBlockDelta.fromText("x"))));
        out.addAll(d.finish());
        assertThat(out).endsWith(new StreamEvent.BlockStop(0), new StreamEvent.MessageStop(FinishReason.STOP, null));
    }

    @Test
    void stopReasons() {
        assertThat(ConverseToCanonical.finishReason("end_turn")).isEqualTo(FinishReason.STOP);
        assertThat(ConverseToCanonical.finishReason("max_tokens")).isEqualTo(FinishReason.LENGTH);
        assertThat(ConverseToCanonical.finishReason("stop_sequence")).isEqualTo(FinishReason.STOP_SEQUENCE);
        assertThat(ConverseToCanonical.finishReason("guardrail_intervened")).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(ConverseToCanonical.finishReason("content_filtered")).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(ConverseToCanonical.finishReason("tool_use")).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void errors_mapToTheGatewayHierarchy_andMaskAccountDetails() {
        GatewayException throttled = BedrockErrors.map(
                new java.util.concurrent.CompletionException(ThrottlingException.builder()
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("ThrottlingException")
                                .errorMessage("Too many requests")
                                .build())
                        .statusCode(429)
                        .build()),
                "br");
        assertThat(HttpStatusMapping.statusFor(throttled)).isEqualTo(429);
        assertThat(throttled.getMessage()).isEqualTo("node br: Bedrock ThrottlingException: Too many requests");
        GatewayException invalid = BedrockErrors.map(
                ValidationException.builder()
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("ValidationException")
                                .errorMessage("User: arn:aws:sts::123456789012:assumed-role/x/y with key"
                                        + " AKIAABCDEFGHIJKLMNOP is bad")
                                .build())
                        .statusCode(400)
                        .build(),
                "br");
        assertThat(HttpStatusMapping.statusFor(invalid)).isEqualTo(400);
        assertThat(invalid.getMessage()).doesNotContain("123456789012", "AKIAABCDEFGHIJKLMNOP", "assumed-role");
    }

    static ContentBlockDeltaEvent delta(int index, ContentBlockDelta delta) {
        return ContentBlockDeltaEvent.builder()
                .contentBlockIndex(index)
                .delta(delta)
                .build();
    }
}
