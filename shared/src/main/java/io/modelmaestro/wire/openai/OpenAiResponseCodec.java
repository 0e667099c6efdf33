package io.modelmaestro.wire.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.model.ChatResult;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** OpenAI chat-completion response bodies ⇄ canonical {@link ChatResult}, and usage objects. */
public final class OpenAiResponseCodec {

    private OpenAiResponseCodec() {}

    public static ChatResult decode(JsonNode body) {
        JsonNode choice = body.path("choices").path(0);
        JsonNode message = choice.path("message");
        List<ContentPart> parts = new ArrayList<>();
        String reasoning = firstText(message, "reasoning_content", "reasoning");
        if (reasoning != null && !reasoning.isEmpty()) {
            parts.add(new ContentPart.Reasoning(reasoning, null));
        }
        String content = Json.text(message, "content");
        if (content != null && !content.isEmpty()) {
            parts.add(new ContentPart.Text(content));
        }
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode fn = call.path("function");
            JsonNode args = fn.get("arguments");
            parts.add(new ContentPart.ToolCall(
                    call.path("id").asText(""),
                    fn.path("name").asText(""),
                    args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : args.toString()));
        }
        String finish = Json.text(choice, "finish_reason");
        String matchedStop = Json.text(choice, "stop_reason");
        FinishReason reason = OpenAiFinishReasons.toCanonical(finish, matchedStop);
        return new ChatResult(
                body.path("id").asText(""),
                body.path("model").asText(""),
                parts,
                reason,
                reason == FinishReason.STOP_SEQUENCE ? matchedStop : finish,
                usage(body.get("usage")));
    }

    public static Usage usage(@Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.ZERO;
        }
        return new Usage(
                usage.path("prompt_tokens").asLong(0),
                usage.path("completion_tokens").asLong(0),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(0),
                0);
    }

    public static ObjectNode encodeUsage(Usage usage) {
        ObjectNode u = Json.object();
        u.put("prompt_tokens", usage.promptTokens());
        u.put("completion_tokens", usage.completionTokens());
        u.put("total_tokens", usage.totalTokens());
        if (usage.cacheReadTokens() > 0) {
            u.putObject("prompt_tokens_details").put("cached_tokens", usage.cacheReadTokens());
        }
        return u;
    }

    public static ObjectNode encode(ChatResult result, String displayModel, long created) {
        ObjectNode body = Json.object();
        body.put("id", result.id().isEmpty() ? "chatcmpl-" + Long.toHexString(created) : result.id());
        body.put("object", "chat.completion");
        body.put("created", created);
        body.put("model", displayModel);
        ArrayNode choices = body.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode calls = null;
        for (ContentPart p : result.content()) {
            switch (p) {
                case ContentPart.Text t -> text.append(t.text());
                case ContentPart.Reasoning r -> reasoning.append(r.text());
                case ContentPart.ToolCall tc -> {
                    if (calls == null) {
                        calls = Json.array();
                    }
                    ObjectNode call = calls.addObject();
                    call.put("id", tc.id());
                    call.put("type", "function");
                    ObjectNode fn = call.putObject("function");
                    fn.put("name", tc.name());
                    fn.put("arguments", tc.arguments());
                }
                default -> {}
            }
        }
        if (text.isEmpty() && calls != null) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (!reasoning.isEmpty()) {
            message.put("reasoning_content", reasoning.toString());
        }
        if (calls != null) {
            message.set("tool_calls", calls);
        }
        choice.put("finish_reason", OpenAiFinishReasons.fromCanonical(result.finishReason()));
        body.set("usage", encodeUsage(result.usage()));
        return body;
    }

    static @Nullable String firstText(JsonNode node, String a, String b) {
        String v = Json.text(node, a);
        return v != null ? v : Json.text(node, b);
    }
}
