package io.modelmaestro.wire.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Anthropic stream events → canonical {@link StreamEvent}s. The two models are the same shape (blocks with a start,
 * deltas and a stop), so this is mostly renaming. Blocks the canonical model has no kind for ({@code
 * redacted_thinking}, server tool use and results) are skipped and the remaining blocks renumbered densely; {@code
 * citations_delta} is skipped. Usage is merged from {@code message_start} and every {@code message_delta} (the later
 * values are totals, not increments) and emitted before the stop event.
 *
 * <p>An {@code error} event is returned as {@link UpstreamStreamError}; the caller decides what to throw. Created per
 * stream; not thread-safe.
 */
public final class AnthropicStreamDecoder {

    /** An {@code event: error} from the upstream: its Anthropic error type and message. */
    public record UpstreamStreamError(String type, String message) {}

    private final Map<Integer, Integer> indexMap = new HashMap<>();
    private int nextIndex;
    private boolean started;
    private boolean finished;
    private @Nullable Integer openIndex;
    private @Nullable String stopReason;
    private @Nullable String stopSequence;
    private long inputTokens;
    private long outputTokens;
    private long cacheRead;
    private long cacheWrite;
    private boolean sawUsage;
    private @Nullable UpstreamStreamError error;

    /** One event's {@code data} (its {@code type} field names the event, as the {@code event:} line does). */
    public List<StreamEvent> decode(JsonNode data) {
        List<StreamEvent> out = new ArrayList<>(2);
        if (finished) {
            return out;
        }
        String type = data.path("type").asText("");
        switch (type) {
            case "message_start" -> {
                JsonNode message = data.path("message");
                started = true;
                out.add(new StreamEvent.MessageStart(
                        message.path("id").asText(""), message.path("model").asText("")));
                mergeUsage(message.get("usage"));
            }
            case "content_block_start" -> blockStart(data, out);
            case "content_block_delta" -> blockDelta(data, out);
            case "content_block_stop" -> {
                Integer index = indexMap.get(data.path("index").asInt(-1));
                if (index != null && index.equals(openIndex)) {
                    out.add(new StreamEvent.BlockStop(index));
                    openIndex = null;
                }
            }
            case "message_delta" -> {
                JsonNode delta = data.path("delta");
                if (delta.has("stop_reason") && !delta.get("stop_reason").isNull()) {
                    stopReason = delta.get("stop_reason").asText();
                }
                if (delta.has("stop_sequence") && !delta.get("stop_sequence").isNull()) {
                    stopSequence = delta.get("stop_sequence").asText();
                }
                mergeUsage(data.get("usage"));
            }
            case "message_stop" -> out.addAll(finish());
            case "error" -> {
                JsonNode e = data.path("error");
                error = new UpstreamStreamError(
                        e.path("type").asText("api_error"), e.path("message").asText("upstream error"));
            }
            default -> {
                // ping, and event types newer than this decoder
            }
        }
        if (!started && !out.isEmpty() && !(out.get(0) instanceof StreamEvent.MessageStart)) {
            started = true;
            out.add(0, new StreamEvent.MessageStart("", ""));
        }
        return out;
    }

    /** The upstream's error event, if one arrived. */
    public @Nullable UpstreamStreamError error() {
        return error;
    }

    public boolean finished() {
        return finished;
    }

    /** Closes what is open and emits usage and the stop event. Idempotent. */
    public List<StreamEvent> finish() {
        List<StreamEvent> out = new ArrayList<>(3);
        if (finished) {
            return out;
        }
        finished = true;
        if (!started) {
            started = true;
            out.add(new StreamEvent.MessageStart("", ""));
        }
        if (openIndex != null) {
            out.add(new StreamEvent.BlockStop(openIndex));
            openIndex = null;
        }
        if (sawUsage) {
            out.add(new StreamEvent.UsageUpdate(usage()));
        }
        FinishReason reason = AnthropicStopReasons.toCanonical(stopReason);
        out.add(new StreamEvent.MessageStop(reason, reason == FinishReason.STOP_SEQUENCE ? stopSequence : stopReason));
        return out;
    }

    private void blockStart(JsonNode data, List<StreamEvent> out) {
        JsonNode block = data.path("content_block");
        StreamEvent.BlockKind kind = switch (block.path("type").asText("")) {
            case "text" -> StreamEvent.BlockKind.TEXT;
            case "thinking" -> StreamEvent.BlockKind.REASONING;
            case "tool_use" -> StreamEvent.BlockKind.TOOL_CALL;
            default -> null;
        };
        if (kind == null) {
            return;
        }
        if (openIndex != null) {
            out.add(new StreamEvent.BlockStop(openIndex));
        }
        int index = nextIndex++;
        indexMap.put(data.path("index").asInt(index), index);
        openIndex = index;
        switch (kind) {
            case TEXT -> {
                out.add(new StreamEvent.BlockStart(index, kind, null, null));
                String text = block.path("text").asText("");
                if (!text.isEmpty()) {
                    out.add(new StreamEvent.TextDelta(index, text));
                }
            }
            case REASONING -> {
                out.add(new StreamEvent.BlockStart(index, kind, null, null));
                String text = block.path("thinking").asText("");
                String signature = Json.text(block, "signature");
                if (!text.isEmpty() || (signature != null && !signature.isEmpty())) {
                    out.add(new StreamEvent.ReasoningDelta(
                            index, text, signature == null || signature.isEmpty() ? null : signature));
                }
            }
            case TOOL_CALL -> {
                out.add(new StreamEvent.BlockStart(
                        index,
                        kind,
                        block.path("id").asText(""),
                        block.path("name").asText("")));
                JsonNode input = block.get("input");
                if (input != null && input.isObject() && !input.isEmpty()) {
                    out.add(new StreamEvent.ToolArgsDelta(index, Json.writeString(input)));
                }
            }
        }
    }

    private void blockDelta(JsonNode data, List<StreamEvent> out) {
        Integer index = indexMap.get(data.path("index").asInt(-1));
        if (index == null) {
            return; // a delta of a skipped block
        }
        JsonNode delta = data.path("delta");
        switch (delta.path("type").asText("")) {
            case "text_delta" -> {
                String text = delta.path("text").asText("");
                if (!text.isEmpty()) {
                    out.add(new StreamEvent.TextDelta(index, text));
                }
            }
            case "thinking_delta" -> {
                String text = delta.path("thinking").asText("");
                if (!text.isEmpty()) {
                    out.add(new StreamEvent.ReasoningDelta(index, text, null));
                }
            }
            case "signature_delta" ->
                out.add(new StreamEvent.ReasoningDelta(
                        index, "", delta.path("signature").asText("")));
            case "input_json_delta" -> {
                String fragment = delta.path("partial_json").asText("");
                if (!fragment.isEmpty()) {
                    out.add(new StreamEvent.ToolArgsDelta(index, fragment));
                }
            }
            default -> {
                // citations_delta and newer delta types
            }
        }
    }

    private void mergeUsage(@Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return;
        }
        sawUsage = true;
        inputTokens = take(usage, "input_tokens", inputTokens);
        outputTokens = take(usage, "output_tokens", outputTokens);
        cacheRead = take(usage, "cache_read_input_tokens", cacheRead);
        cacheWrite = take(usage, "cache_creation_input_tokens", cacheWrite);
    }

    private static long take(JsonNode usage, String field, long current) {
        JsonNode v = usage.get(field);
        return v != null && v.isNumber() ? v.asLong() : current;
    }

    /** The merged usage in canonical terms (prompt tokens include the cache counts). */
    public Usage usage() {
        return new Usage(inputTokens + cacheRead + cacheWrite, outputTokens, cacheRead, cacheWrite);
    }
}
