package io.modelmaestro.wire.anthropic;

import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.Message;
import io.modelmaestro.core.model.ToolSpec;
import io.modelmaestro.json.Json;

/**
 * The input-token estimate for {@code count_tokens} on nodes that cannot count (and for {@code message_start} before
 * the upstream has said): about four characters per token over every text the model reads, plus fixed costs. It is
 * an estimate, documented as one (docs/providers/anthropic.md); it errs on the high side so that a client deciding
 * when to compact a conversation does so early rather than late.
 *
 * <pre>
 * tokens = ceil(chars / 4) + 3 per message + 3 + (tools ? 16 + 8 per tool : 0) + 1,600 per image
 * chars  = system text + message text + reasoning + tool-call names and arguments + tool results
 *        + tool names, descriptions and JSON schemas
 * </pre>
 */
public final class AnthropicTokenEstimate {

    /** An image up to about 1.15 megapixels costs at most this many tokens (Anthropic: width × height / 750). */
    static final int IMAGE_TOKENS = 1600;

    private AnthropicTokenEstimate() {}

    public static long of(ChatRequest request) {
        long chars = 0;
        long fixed = 3;
        for (ContentPart p : request.system()) {
            chars += chars(p);
        }
        for (Message m : request.messages()) {
            fixed += 3;
            for (ContentPart p : m.content()) {
                if (p instanceof ContentPart.Image) {
                    fixed += IMAGE_TOKENS;
                } else {
                    chars += chars(p);
                }
            }
        }
        if (!request.tools().isEmpty()) {
            fixed += 16;
            for (ToolSpec t : request.tools()) {
                fixed += 8;
                chars += t.name().length();
                chars += t.description() == null ? 0 : t.description().length();
                chars += Json.writeString(t.parameters()).length();
            }
        }
        return (chars + 3) / 4 + fixed;
    }

    private static long chars(ContentPart p) {
        return switch (p) {
            case ContentPart.Text t -> t.text().length();
            case ContentPart.Reasoning r -> r.text().length();
            case ContentPart.ToolCall c -> c.name().length() + c.arguments().length();
            case ContentPart.ToolResult r -> r.content().length();
            case ContentPart.Image i -> 0;
            case ContentPart.Unknown u -> Json.writeString(u.raw()).length();
        };
    }
}
