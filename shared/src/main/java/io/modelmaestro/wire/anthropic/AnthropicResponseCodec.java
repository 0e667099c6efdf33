package io.modelmaestro.wire.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.model.ChatResult;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Anthropic Messages responses ⇄ canonical {@link ChatResult}, and usage objects.
 *
 * <p>Usage: Anthropic's {@code input_tokens} counts only the uncached part of the prompt; {@code
 * cache_read_input_tokens} and {@code cache_creation_input_tokens} come on top. The canonical {@link Usage} keeps the
 * whole prompt in {@code promptTokens} (OpenAI's meaning), so decoding adds the three and encoding subtracts the cache
 * counts again.
 */
public final class AnthropicResponseCodec {

    private AnthropicResponseCodec() {}

    public static ChatResult decode(JsonNode body) {
        List<ContentPart> parts = new ArrayList<>();
        for (JsonNode block : body.path("content")) {
            String type = block.path("type").asText("");
            switch (type) {
                case "text" -> parts.add(new ContentPart.Text(block.path("text").asText("")));
                case "thinking" ->
                    parts.add(new ContentPart.Reasoning(
                            block.path("thinking").asText(""), Json.text(block, "signature")));
                case "tool_use" -> {
                    JsonNode input = block.get("input");
                    parts.add(new ContentPart.ToolCall(
                            block.path("id").asText(""),
                            block.path("name").asText(""),
                            input == null || input.isNull() ? "{}" : Json.writeString(input)));
                }
                default -> parts.add(new ContentPart.Unknown(type, block));
            }
        }
        String stop = Json.text(body, "stop_reason");
        FinishReason reason = AnthropicStopReasons.toCanonical(stop);
        return new ChatResult(
                body.path("id").asText(""),
                body.path("model").asText(""),
                parts,
                reason,
                reason == FinishReason.STOP_SEQUENCE ? Json.text(body, "stop_sequence") : stop,
                usage(body.get("usage")));
    }

    /** Anthropic usage → canonical; the prompt count includes the cache counts (see the class comment). */
    public static Usage usage(@Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.ZERO;
        }
        long cacheRead = usage.path("cache_read_input_tokens").asLong(0);
        long cacheWrite = usage.path("cache_creation_input_tokens").asLong(0);
        return new Usage(
                usage.path("input_tokens").asLong(0) + cacheRead + cacheWrite,
                usage.path("output_tokens").asLong(0),
                cacheRead,
                cacheWrite);
    }

    /** Canonical usage → Anthropic's fields ({@code input_tokens} without the cached part). */
    public static ObjectNode encodeUsage(Usage usage) {
        ObjectNode u = Json.object();
        u.put("input_tokens", uncachedInput(usage));
        u.put("cache_creation_input_tokens", usage.cacheWriteTokens());
        u.put("cache_read_input_tokens", usage.cacheReadTokens());
        u.put("output_tokens", usage.completionTokens());
        return u;
    }

    static long uncachedInput(Usage usage) {
        return Math.max(0, usage.promptTokens() - usage.cacheReadTokens() - usage.cacheWriteTokens());
    }

    /**
     * A complete Anthropic message. Reasoning becomes {@code thinking} blocks (with an empty signature when the
     * upstream gave none), tool calls {@code tool_use} blocks whose arguments are parsed into an object, and a
     * message without content one empty text block.
     */
    public static ObjectNode encode(ChatResult result, String displayModel, String fallbackId) {
        ObjectNode body = Json.object();
        body.put("id", fallbackId);
        body.put("type", "message");
        body.put("role", "assistant");
        body.put("model", displayModel);
        ArrayNode content = body.putArray("content");
        boolean toolCalls = false;
        for (ContentPart p : result.content()) {
            switch (p) {
                case ContentPart.Reasoning r -> {
                    ObjectNode b = content.addObject();
                    b.put("type", "thinking");
                    b.put("thinking", r.text());
                    b.put("signature", r.signature() == null ? "" : r.signature());
                }
                case ContentPart.Text t -> {
                    if (!t.text().isEmpty()) {
                        content.addObject().put("type", "text").put("text", t.text());
                    }
                }
                case ContentPart.ToolCall tc -> {
                    toolCalls = true;
                    ObjectNode b = content.addObject();
                    b.put("type", "tool_use");
                    b.put("id", toolUseId(tc.id(), content.size() - 1));
                    b.put("name", tc.name());
                    b.set("input", arguments(tc.arguments()));
                }
                default -> {}
            }
        }
        if (content.isEmpty()) {
            content.addObject().put("type", "text").put("text", "");
        }
        body.put("stop_reason", AnthropicStopReasons.fromCanonical(result.finishReason(), toolCalls));
        String sequence = result.finishReason() == FinishReason.STOP_SEQUENCE ? result.rawFinishReason() : null;
        if (sequence == null) {
            body.putNull("stop_sequence");
        } else {
            body.put("stop_sequence", sequence);
        }
        body.set("usage", encodeUsage(result.usage()));
        return body;
    }

    /** Tool-use ids must be non-empty; an upstream that gave none gets one made from the block's position. */
    static String toolUseId(@Nullable String id, int position) {
        return id == null || id.isEmpty() ? "toolu_" + position : id;
    }

    /** The arguments JSON as an object; text that is not a JSON object is kept under {@code "_raw"}. */
    static JsonNode arguments(String json) {
        if (json.isBlank()) {
            return Json.object();
        }
        JsonNode node = Json.tryParse(json.getBytes(StandardCharsets.UTF_8));
        if (node != null && node.isObject()) {
            return node;
        }
        ObjectNode raw = Json.object();
        raw.put("_raw", json);
        return raw;
    }
}
