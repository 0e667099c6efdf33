package io.modelmaestro.core.stream;

import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.Usage;
import org.jspecify.annotations.Nullable;

/**
 * The typed streaming model: a superset of Anthropic's and Converse's block events. Every provider's stream decoder
 * produces these and every dialect's stream encoder consumes them, so a new dialect or provider is one new pair of
 * classes. Block indices are dense and start at 0 per message.
 */
public sealed interface StreamEvent {

    record MessageStart(String id, String model) implements StreamEvent {}

    /** A new content block. For {@link BlockKind#TOOL_CALL}, {@code toolId} and {@code toolName} are set. */
    record BlockStart(
            int index,
            BlockKind kind,
            @Nullable String toolId,
            @Nullable String toolName) implements StreamEvent {}

    record TextDelta(int index, String text) implements StreamEvent {}

    record ReasoningDelta(int index, String text, @Nullable String signature) implements StreamEvent {}

    /** A fragment of a tool call's arguments JSON; concatenated fragments form the whole object. */
    record ToolArgsDelta(int index, String jsonFragment) implements StreamEvent {}

    record BlockStop(int index) implements StreamEvent {}

    /** Token usage so far (the last one wins). */
    record UsageUpdate(Usage usage) implements StreamEvent {}

    record MessageStop(FinishReason reason, @Nullable String rawReason) implements StreamEvent {}

    enum BlockKind {
        TEXT,
        REASONING,
        TOOL_CALL
    }
}
