package io.modelmaestro.wire.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.model.ChatResult;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.json.Json;
import org.jspecify.annotations.Nullable;

/**
 * Canonical {@link ChatResult} → a Responses object, and the item and usage shapes the stream encoder shares.
 * Reasoning becomes a {@code reasoning} item (as summary text when the client asked for summaries, else as raw {@code
 * reasoning_text} content; an Anthropic signature travels as {@code encrypted_content}), text a {@code message} item
 * with one {@code output_text} part, each tool call a {@code function_call} item.
 */
public final class ResponsesResponseCodec {

    private ResponsesResponseCodec() {}

    /** Item ids: a prefix, the response's own hex id, and the output index. */
    public static String itemId(String prefix, String responseId, int outputIndex) {
        String base = responseId.startsWith("resp_") ? responseId.substring(5) : responseId;
        return prefix + "_" + base + String.format("%03d", outputIndex);
    }

    public static ObjectNode encode(
            ChatResult result, ResponsesRequest request, String id, String model, long createdAt, boolean summaries) {
        ObjectNode r = request.shell(id, model, createdAt);
        ArrayNode output = (ArrayNode) r.get("output");
        StringBuilder text = null;
        for (ContentPart part : result.content()) {
            switch (part) {
                case ContentPart.Text t -> {
                    if (text == null) {
                        text = new StringBuilder();
                    }
                    text.append(t.text());
                }
                case ContentPart.Reasoning reasoning -> {
                    text = flushText(output, text, id);
                    output.add(reasoningItem(
                            itemId("rs", id, output.size()), reasoning.text(), reasoning.signature(), summaries));
                }
                case ContentPart.ToolCall call -> {
                    text = flushText(output, text, id);
                    output.add(functionCallItem(
                            itemId("fc", id, output.size()),
                            call.id(),
                            call.name(),
                            call.arguments(),
                            "completed",
                            request));
                }
                default -> {}
            }
        }
        flushText(output, text, id);
        finish(r, result.finishReason(), result.usage());
        return r;
    }

    private static @Nullable StringBuilder flushText(ArrayNode output, @Nullable StringBuilder text, String id) {
        if (text != null) {
            output.add(messageItem(itemId("msg", id, output.size()), "completed", text.toString()));
        }
        return null;
    }

    /** Sets {@code status}, {@code incomplete_details} and {@code usage} of a finished response. */
    public static void finish(ObjectNode response, FinishReason reason, @Nullable Usage usage) {
        String incomplete = switch (reason) {
            case LENGTH -> "max_output_tokens";
            case CONTENT_FILTER -> "content_filter";
            default -> null;
        };
        if (incomplete == null) {
            response.put("status", "completed");
        } else {
            response.put("status", "incomplete");
            response.putObject("incomplete_details").put("reason", incomplete);
        }
        response.set("usage", encodeUsage(usage == null ? Usage.ZERO : usage));
    }

    public static ObjectNode messageItem(String id, String status, @Nullable String text) {
        ObjectNode item = Json.object();
        item.put("id", id);
        item.put("type", "message");
        item.put("status", status);
        ArrayNode content = item.putArray("content");
        if (text != null) {
            content.add(outputText(text));
        }
        item.put("role", "assistant");
        return item;
    }

    public static ObjectNode outputText(String text) {
        ObjectNode part = Json.object();
        part.put("type", "output_text");
        part.putArray("annotations");
        part.putArray("logprobs");
        part.put("text", text);
        return part;
    }

    /**
     * A reasoning item. {@code text == null} is the item as first announced in a stream (no summary or content
     * yet).
     */
    public static ObjectNode reasoningItem(
            String id, @Nullable String text, @Nullable String signature, boolean summaries) {
        ObjectNode item = Json.object();
        item.put("id", id);
        item.put("type", "reasoning");
        ArrayNode summary = item.putArray("summary");
        if (text != null) {
            if (summaries) {
                summary.add(summaryText(text));
            } else {
                ObjectNode c = item.putArray("content").addObject();
                c.put("type", "reasoning_text");
                c.put("text", text);
            }
        }
        if (signature != null && !signature.isEmpty()) {
            item.put("encrypted_content", signature);
        }
        return item;
    }

    public static ObjectNode summaryText(String text) {
        ObjectNode s = Json.object();
        s.put("type", "summary_text");
        s.put("text", text);
        return s;
    }

    /**
     * A function_call item. A canonical name {@code namespace__name} of a tool the request declared inside a {@code
     * namespace} tool goes back out as {@code name} plus {@code namespace}.
     */
    public static ObjectNode functionCallItem(
            String id, String callId, String name, String arguments, String status, ResponsesRequest request) {
        ObjectNode item = Json.object();
        item.put("id", id);
        item.put("type", "function_call");
        item.put("status", status);
        item.put("arguments", arguments);
        item.put("call_id", callId);
        int cut = name.indexOf(ResponsesRequestDecoder.NAMESPACE_SEPARATOR);
        if (cut > 0 && request.namespaced(name)) {
            item.put("name", name.substring(cut + ResponsesRequestDecoder.NAMESPACE_SEPARATOR.length()));
            item.put("namespace", name.substring(0, cut));
        } else {
            item.put("name", name);
        }
        return item;
    }

    public static ObjectNode encodeUsage(Usage usage) {
        ObjectNode u = Json.object();
        u.put("input_tokens", usage.promptTokens());
        ObjectNode inputDetails = u.putObject("input_tokens_details");
        inputDetails.put("cached_tokens", usage.cacheReadTokens());
        inputDetails.put("cache_write_tokens", usage.cacheWriteTokens());
        u.put("output_tokens", usage.completionTokens());
        u.putObject("output_tokens_details").put("reasoning_tokens", 0);
        u.put("total_tokens", usage.totalTokens());
        return u;
    }

    /** A Responses {@code usage} object → canonical usage ({@code input_tokens} includes cached tokens). */
    public static Usage usage(@Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.ZERO;
        }
        return new Usage(
                usage.path("input_tokens").asLong(0),
                usage.path("output_tokens").asLong(0),
                usage.path("input_tokens_details").path("cached_tokens").asLong(0),
                usage.path("input_tokens_details").path("cache_write_tokens").asLong(0));
    }
}
