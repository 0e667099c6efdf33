package io.modelmaestro.provider.bedrock;

import io.modelmaestro.core.model.ChatResult;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/** A Converse answer in canonical terms: content blocks, stop reason, usage (docs/providers/bedrock.md). */
final class ConverseToCanonical {

    private ConverseToCanonical() {}

    static ChatResult result(ConverseResponse response, String id, String model) {
        List<ContentPart> parts = new ArrayList<>();
        ConverseOutput output = response.output();
        if (output != null && output.message() != null) {
            for (ContentBlock block : output.message().content()) {
                ContentPart part = part(block);
                if (part != null) {
                    parts.add(part);
                }
            }
        }
        String raw = response.stopReasonAsString();
        return new ChatResult(id, model, parts, finishReason(raw), raw, usage(response.usage()));
    }

    private static @Nullable ContentPart part(ContentBlock block) {
        if (block.text() != null) {
            return new ContentPart.Text(block.text());
        }
        if (block.toolUse() != null) {
            return new ContentPart.ToolCall(
                    block.toolUse().toolUseId(),
                    block.toolUse().name(),
                    Json.writeString(Documents.toJson(block.toolUse().input())));
        }
        ReasoningContentBlock reasoning = block.reasoningContent();
        if (reasoning != null && reasoning.reasoningText() != null) {
            String text = reasoning.reasoningText().text();
            return new ContentPart.Reasoning(
                    text == null ? "" : text, reasoning.reasoningText().signature());
        }
        return null;
    }

    /** Converse's {@code stopReason} in canonical terms. */
    static FinishReason finishReason(@Nullable String stopReason) {
        if (stopReason == null) {
            return FinishReason.STOP;
        }
        return switch (stopReason) {
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "max_tokens" -> FinishReason.LENGTH;
            case "stop_sequence" -> FinishReason.STOP_SEQUENCE;
            case "guardrail_intervened", "content_filtered" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    /**
     * Converse's {@code inputTokens} excludes the cache reads and writes (as Anthropic's does); the canonical prompt
     * count includes them.
     */
    static Usage usage(@Nullable TokenUsage u) {
        if (u == null) {
            return Usage.ZERO;
        }
        long read = n(u.cacheReadInputTokens());
        long write = n(u.cacheWriteInputTokens());
        return new Usage(n(u.inputTokens()) + read + write, n(u.outputTokens()), read, write);
    }

    private static long n(@Nullable Integer v) {
        return v == null ? 0 : v;
    }
}
