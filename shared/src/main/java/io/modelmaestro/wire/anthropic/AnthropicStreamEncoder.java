package io.modelmaestro.wire.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.json.Json;
import io.modelmaestro.sse.SseWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Canonical {@link StreamEvent}s → the exact Anthropic event sequence, as SSE frames ({@code event: <type>} + {@code
 * data: <json>}):
 *
 * <pre>
 * message_start, ping,
 * (content_block_start, content_block_delta*, content_block_stop)+   indexes 0, 1, 2… in order, one block open at a time
 * message_delta (stop_reason, stop_sequence, usage), message_stop
 * </pre>
 *
 * The sequence holds whatever the canonical stream looks like, because other gateways' bugs live exactly there: a
 * delta without its block start opens the block, a block of another kind closes the open one first (thinking → text
 * never loses the first text delta), every started block is stopped, a message without any block gets one empty text
 * block, and a message with tool calls ends with {@code tool_use} (never {@code end_turn}). {@code message_start}
 * carries the estimated input tokens (the upstream's real count arrives with the last chunk); {@code message_delta}
 * carries the final usage, cache counts apart from {@code input_tokens}.
 *
 * <p>Created per stream; not thread-safe.
 */
public final class AnthropicStreamEncoder {

    private final String displayModel;
    private final String messageId;
    private final long estimatedInputTokens;
    private final Map<Integer, Integer> indexByCanonical = new HashMap<>();
    private int nextIndex;
    private int openIndex = -1;
    private StreamEvent.@Nullable BlockKind openKind;
    private boolean started;
    private boolean stopped;
    private boolean toolCalls;
    private long generatedChars;
    private @Nullable Usage usage;

    public AnthropicStreamEncoder(String displayModel, String messageId, long estimatedInputTokens) {
        this.displayModel = displayModel;
        this.messageId = messageId;
        this.estimatedInputTokens = estimatedInputTokens;
    }

    public List<byte[]> encode(StreamEvent event) {
        List<byte[]> out = new ArrayList<>(2);
        if (stopped) {
            return out;
        }
        switch (event) {
            case StreamEvent.MessageStart s -> ensureStarted(out);
            case StreamEvent.BlockStart b -> {
                ensureStarted(out);
                open(b.kind(), b.index(), b.toolId(), b.toolName(), out);
            }
            case StreamEvent.TextDelta d -> {
                if (!d.text().isEmpty()) {
                    int index = ensureOpen(StreamEvent.BlockKind.TEXT, d.index(), out);
                    ObjectNode delta = Json.object();
                    delta.put("type", "text_delta");
                    delta.put("text", d.text());
                    out.add(delta(index, delta));
                    generatedChars += d.text().length();
                }
            }
            case StreamEvent.ReasoningDelta d -> {
                boolean hasText = !d.text().isEmpty();
                boolean hasSignature = d.signature() != null && !d.signature().isEmpty();
                if (hasText || hasSignature) {
                    int index = ensureOpen(StreamEvent.BlockKind.REASONING, d.index(), out);
                    if (hasText) {
                        ObjectNode delta = Json.object();
                        delta.put("type", "thinking_delta");
                        delta.put("thinking", d.text());
                        out.add(delta(index, delta));
                        generatedChars += d.text().length();
                    }
                    if (hasSignature) {
                        ObjectNode delta = Json.object();
                        delta.put("type", "signature_delta");
                        delta.put("signature", d.signature());
                        out.add(delta(index, delta));
                    }
                }
            }
            case StreamEvent.ToolArgsDelta d -> {
                if (!d.jsonFragment().isEmpty()) {
                    int index = ensureOpen(StreamEvent.BlockKind.TOOL_CALL, d.index(), out);
                    ObjectNode delta = Json.object();
                    delta.put("type", "input_json_delta");
                    delta.put("partial_json", d.jsonFragment());
                    out.add(delta(index, delta));
                    generatedChars += d.jsonFragment().length();
                }
            }
            case StreamEvent.BlockStop b -> {
                Integer index = indexByCanonical.get(b.index());
                if (index != null && index == openIndex) {
                    closeOpen(out);
                }
            }
            case StreamEvent.UsageUpdate u -> usage = u.usage();
            case StreamEvent.MessageStop s -> stop(s.reason(), s.rawReason(), out);
        }
        return out;
    }

    /** The closing frames when the canonical stream ended without its stop event. */
    public List<byte[]> complete() {
        List<byte[]> out = new ArrayList<>(4);
        if (!stopped) {
            stop(FinishReason.STOP, null, out);
        }
        return out;
    }

    /** {@code event: ping}: Anthropic's keepalive, sent after {@code message_start} and on long silences. */
    public static byte[] ping() {
        return SseWriter.event("ping", "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
    }

    private void ensureStarted(List<byte[]> out) {
        if (started) {
            return;
        }
        started = true;
        ObjectNode body = Json.object();
        body.put("type", "message_start");
        ObjectNode message = body.putObject("message");
        message.put("id", messageId);
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", displayModel);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        ObjectNode u = message.putObject("usage");
        u.put("input_tokens", estimatedInputTokens);
        u.put("cache_creation_input_tokens", 0);
        u.put("cache_read_input_tokens", 0);
        u.put("output_tokens", 1);
        out.add(frame("message_start", body));
        out.add(ping());
    }

    /** The Anthropic index of the open block of {@code kind}, opening one when the open block is another. */
    private int ensureOpen(StreamEvent.BlockKind kind, int canonicalIndex, List<byte[]> out) {
        ensureStarted(out);
        Integer mapped = indexByCanonical.get(canonicalIndex);
        if (mapped != null && mapped == openIndex && openKind == kind) {
            return openIndex;
        }
        if (mapped == null && openKind == kind && kind != StreamEvent.BlockKind.TOOL_CALL) {
            // a delta without its own block start, continuing the open block of its kind
            indexByCanonical.put(canonicalIndex, openIndex);
            return openIndex;
        }
        open(kind, canonicalIndex, null, null, out);
        return openIndex;
    }

    private void open(
            StreamEvent.BlockKind kind,
            int canonicalIndex,
            @Nullable String toolId,
            @Nullable String toolName,
            List<byte[]> out) {
        closeOpen(out);
        int index = nextIndex++;
        indexByCanonical.put(canonicalIndex, index);
        openIndex = index;
        openKind = kind;
        ObjectNode body = Json.object();
        body.put("type", "content_block_start");
        body.put("index", index);
        ObjectNode block = body.putObject("content_block");
        switch (kind) {
            case TEXT -> {
                block.put("type", "text");
                block.put("text", "");
            }
            case REASONING -> {
                block.put("type", "thinking");
                block.put("thinking", "");
                block.put("signature", "");
            }
            case TOOL_CALL -> {
                toolCalls = true;
                block.put("type", "tool_use");
                block.put("id", AnthropicResponseCodec.toolUseId(toolId, index));
                block.put("name", toolName == null ? "" : toolName);
                block.putObject("input");
            }
        }
        out.add(frame("content_block_start", body));
    }

    private void closeOpen(List<byte[]> out) {
        if (openKind == null) {
            return;
        }
        ObjectNode body = Json.object();
        body.put("type", "content_block_stop");
        body.put("index", openIndex);
        out.add(frame("content_block_stop", body));
        openKind = null;
    }

    private void stop(FinishReason reason, @Nullable String raw, List<byte[]> out) {
        ensureStarted(out);
        closeOpen(out);
        if (nextIndex == 0) {
            open(StreamEvent.BlockKind.TEXT, -1, null, null, out);
            closeOpen(out);
        }
        stopped = true;
        ObjectNode body = Json.object();
        body.put("type", "message_delta");
        ObjectNode delta = body.putObject("delta");
        delta.put("stop_reason", AnthropicStopReasons.fromCanonical(reason, toolCalls));
        if (reason == FinishReason.STOP_SEQUENCE && raw != null) {
            delta.put("stop_sequence", raw);
        } else {
            delta.putNull("stop_sequence");
        }
        Usage u = usage;
        if (u == null) {
            u = new Usage(estimatedInputTokens, Math.max(1, (generatedChars + 3) / 4));
        }
        body.set("usage", AnthropicResponseCodec.encodeUsage(u));
        out.add(frame("message_delta", body));
        ObjectNode end = Json.object();
        end.put("type", "message_stop");
        out.add(frame("message_stop", end));
    }

    private static byte[] delta(int index, ObjectNode delta) {
        ObjectNode body = Json.object();
        body.put("type", "content_block_delta");
        body.put("index", index);
        body.set("delta", delta);
        return frame("content_block_delta", body);
    }

    private static byte[] frame(String event, ObjectNode body) {
        return SseWriter.event(event, Json.write(body));
    }
}
