package io.modelmaestro.wire.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.json.Json;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A decoded {@code POST /v1/responses} body: the canonical request, plus what the Responses object echoes back and
 * what the gateway itself acts on.
 *
 * @param chat the canonical request (history from {@code previous_response_id} already included)
 * @param input the effective input items (history included), as stored for a later {@code previous_response_id}
 * @param builtinTools the types of OpenAI-hosted tools the request lists (only a Responses upstream can run them)
 * @param echo the request fields a Responses object repeats (instructions, tools, tool_choice, metadata, ...)
 */
public record ResponsesRequest(
        ChatRequest chat,
        ArrayNode input,
        boolean store,
        @Nullable String previousResponseId,
        List<String> builtinTools,
        ObjectNode echo) {

    public ResponsesRequest {
        builtinTools = List.copyOf(builtinTools);
    }

    /**
     * The skeleton of the Responses object for this request: every field OpenAI always sends, in its order, with
     * {@code status}, {@code output} and {@code usage} still to fill.
     */
    public ObjectNode shell(String id, String model, long createdAt) {
        ObjectNode r = Json.object();
        r.put("id", id);
        r.put("object", "response");
        r.put("created_at", createdAt);
        r.put("status", "in_progress");
        r.put("background", false);
        r.putNull("error");
        r.putNull("incomplete_details");
        r.set("instructions", echo.path("instructions").isMissingNode() ? null : echo.get("instructions"));
        r.set("max_output_tokens", echoed("max_output_tokens"));
        r.put("model", model);
        r.putArray("output");
        r.put("parallel_tool_calls", echo.path("parallel_tool_calls").asBoolean(true));
        if (previousResponseId == null) {
            r.putNull("previous_response_id");
        } else {
            r.put("previous_response_id", previousResponseId);
        }
        ObjectNode reasoning = r.putObject("reasoning");
        reasoning.set(
                "effort",
                echo.path("reasoning").has("effort") ? echo.path("reasoning").get("effort") : null);
        reasoning.set(
                "summary",
                echo.path("reasoning").has("summary") ? echo.path("reasoning").get("summary") : null);
        r.put("store", store);
        JsonNode temperature = echo.get("temperature");
        r.set(
                "temperature",
                temperature == null || temperature.isNull()
                        ? Json.mapper().getNodeFactory().numberNode(1.0)
                        : temperature);
        ObjectNode text = r.putObject("text");
        JsonNode format = echo.path("text").get("format");
        if (format instanceof ObjectNode f) {
            text.set("format", f);
        } else {
            text.putObject("format").put("type", "text");
        }
        JsonNode verbosity = echo.path("text").get("verbosity");
        text.put("verbosity", verbosity != null && verbosity.isTextual() ? verbosity.asText() : "medium");
        JsonNode toolChoice = echo.get("tool_choice");
        if (toolChoice == null || toolChoice.isNull()) {
            r.put("tool_choice", "auto");
        } else {
            r.set("tool_choice", toolChoice);
        }
        JsonNode tools = echo.get("tools");
        r.set("tools", tools instanceof ArrayNode a ? a : Json.array());
        JsonNode topP = echo.get("top_p");
        r.set(
                "top_p",
                topP == null || topP.isNull() ? Json.mapper().getNodeFactory().numberNode(1.0) : topP);
        r.put(
                "truncation",
                echo.path("truncation").isTextual() ? echo.path("truncation").asText() : "disabled");
        r.putNull("usage");
        r.set("user", echoed("user"));
        JsonNode metadata = echo.get("metadata");
        r.set("metadata", metadata instanceof ObjectNode m ? m : Json.object());
        return r;
    }

    /** Whether {@code canonicalName} is a function the request declared inside a {@code namespace} tool. */
    public boolean namespaced(String canonicalName) {
        if (!canonicalName.contains(ResponsesRequestDecoder.NAMESPACE_SEPARATOR)) {
            return false;
        }
        for (JsonNode tool : echo.path("tools")) {
            if ("namespace".equals(tool.path("type").asText())) {
                String prefix = tool.path("name").asText() + ResponsesRequestDecoder.NAMESPACE_SEPARATOR;
                for (JsonNode fn : tool.path("tools")) {
                    if (canonicalName.equals(prefix + fn.path("name").asText())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private @Nullable JsonNode echoed(String field) {
        JsonNode v = echo.get(field);
        return v == null || v.isNull() ? null : v;
    }
}
