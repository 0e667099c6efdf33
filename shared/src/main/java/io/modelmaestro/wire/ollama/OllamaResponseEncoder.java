package io.modelmaestro.wire.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.model.ChatResult;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * Canonical {@link ChatResult} → Ollama's unary {@code /api/chat} and {@code /api/generate} answers. Tool calls go out
 * as {@code message.tool_calls[{id, function{index, name, arguments}}]} with the arguments as a JSON object, reasoning
 * as {@code thinking}, the finish reason as {@code done_reason}.
 */
public final class OllamaResponseEncoder {

    private OllamaResponseEncoder() {}

    public static ObjectNode chat(
            ChatResult result, String model, String createdAt, OllamaTimings timings, boolean includeThinking) {
        ObjectNode body = head(model, createdAt);
        ObjectNode message = body.putObject("message");
        message.put("role", "assistant");
        message.put("content", result.text());
        String thinking = thinking(result);
        if (includeThinking && !thinking.isEmpty()) {
            message.put("thinking", thinking);
        }
        ArrayNode calls = null;
        int index = 0;
        for (ContentPart part : result.content()) {
            if (part instanceof ContentPart.ToolCall call) {
                if (calls == null) {
                    calls = message.putArray("tool_calls");
                }
                calls.add(toolCall(call, index++));
            }
        }
        finish(body, OllamaDoneReasons.fromCanonical(result.finishReason()), result.usage(), timings);
        return body;
    }

    public static ObjectNode generate(
            ChatResult result, String model, String createdAt, OllamaTimings timings, boolean includeThinking) {
        ObjectNode body = head(model, createdAt);
        body.put("response", result.text());
        String thinking = thinking(result);
        if (includeThinking && !thinking.isEmpty()) {
            body.put("thinking", thinking);
        }
        finish(body, OllamaDoneReasons.fromCanonical(result.finishReason()), result.usage(), timings);
        return body;
    }

    /** What Ollama answers to a request without a prompt: the model is "loaded", nothing is generated. */
    public static ObjectNode load(String model, String createdAt, boolean chat) {
        ObjectNode body = head(model, createdAt);
        if (chat) {
            ObjectNode message = body.putObject("message");
            message.put("role", "assistant");
            message.put("content", "");
        } else {
            body.put("response", "");
        }
        body.put("done", true);
        body.put("done_reason", "load");
        return body;
    }

    /** An Ollama tool call: {@code {id, function{index, name, arguments: <object>}}}. */
    public static ObjectNode toolCall(ContentPart.ToolCall call, int index) {
        ObjectNode out = Json.object();
        if (!call.id().isEmpty()) {
            out.put("id", call.id());
        }
        ObjectNode fn = out.putObject("function");
        fn.put("index", index);
        fn.put("name", call.name());
        fn.set("arguments", arguments(call.arguments()));
        return out;
    }

    /**
     * Ollama carries arguments as an object. Text that is not a JSON object (a call cut short by the length limit)
     * becomes an empty object rather than a body strict clients cannot read.
     */
    static JsonNode arguments(String text) {
        if (text.isBlank()) {
            return Json.object();
        }
        JsonNode parsed = Json.tryParse(text.getBytes(StandardCharsets.UTF_8));
        return parsed != null && parsed.isObject() ? parsed : Json.object();
    }

    static ObjectNode head(String model, String createdAt) {
        ObjectNode body = Json.object();
        body.put("model", model);
        body.put("created_at", createdAt);
        return body;
    }

    static void finish(ObjectNode body, String doneReason, Usage usage, OllamaTimings timings) {
        body.put("done", true);
        body.put("done_reason", doneReason);
        timings.write(body, usage);
    }

    private static String thinking(ChatResult result) {
        StringBuilder out = new StringBuilder();
        for (ContentPart part : result.content()) {
            if (part instanceof ContentPart.Reasoning r) {
                out.append(r.text());
            }
        }
        return out.toString();
    }
}
