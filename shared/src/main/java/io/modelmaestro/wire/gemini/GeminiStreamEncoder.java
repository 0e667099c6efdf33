package io.modelmaestro.wire.gemini;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Canonical {@link StreamEvent}s → Gemini's stream: a sequence of {@code GenerateContentResponse} chunks, each with
 * one candidate holding the new parts.
 *
 * <ul>
 *   <li>a text delta is a chunk with one {@code text} part, sent at once;
 *   <li>a reasoning delta is a chunk with one {@code {"text", "thought": true}} part, only when the client asked for
 *       thoughts ({@code includeThoughts}); a signature travels as {@code thoughtSignature};
 *   <li>a function call is sent whole, when its block ends (Gemini never streams arguments): its argument fragments
 *       are buffered, then parsed (not a JSON object → {@code {}});
 *   <li>the last chunk carries {@code finishReason} and {@code usageMetadata}, with an empty text part as Google's
 *       last chunk has; a stream that ends without a stop event gets one ({@code STOP}).
 * </ul>
 *
 * Every chunk has {@code modelVersion} (the name the client asked for) and {@code responseId}. Created per stream;
 * not thread-safe.
 */
public final class GeminiStreamEncoder {

    private final String displayModel;
    private final String responseId;
    private final boolean includeThoughts;
    private final Map<Integer, PendingCall> calls = new LinkedHashMap<>();
    private @Nullable Usage usage;
    private boolean stopped;

    private static final class PendingCall {
        final @Nullable String id;
        final String name;
        final StringBuilder args = new StringBuilder();

        PendingCall(@Nullable String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    public GeminiStreamEncoder(String displayModel, String responseId, boolean includeThoughts) {
        this.displayModel = displayModel;
        this.responseId = responseId;
        this.includeThoughts = includeThoughts;
    }

    public List<ObjectNode> encode(StreamEvent event) {
        List<ObjectNode> out = new ArrayList<>(1);
        if (stopped) {
            return out;
        }
        switch (event) {
            case StreamEvent.MessageStart s -> {}
            case StreamEvent.BlockStart b -> {
                if (b.kind() == StreamEvent.BlockKind.TOOL_CALL) {
                    calls.put(b.index(), new PendingCall(b.toolId(), b.toolName() == null ? "" : b.toolName()));
                }
            }
            case StreamEvent.TextDelta d -> {
                if (!d.text().isEmpty()) {
                    out.add(chunk(List.of(Json.object().put("text", d.text()))));
                }
            }
            case StreamEvent.ReasoningDelta d -> {
                boolean hasSignature = d.signature() != null && !d.signature().isEmpty();
                if (includeThoughts && (!d.text().isEmpty() || hasSignature)) {
                    ObjectNode part = Json.object().put("text", d.text()).put("thought", true);
                    if (hasSignature) {
                        part.put("thoughtSignature", d.signature());
                    }
                    out.add(chunk(List.of(part)));
                }
            }
            case StreamEvent.ToolArgsDelta d ->
                calls.computeIfAbsent(d.index(), i -> new PendingCall(null, ""))
                        .args
                        .append(d.jsonFragment());
            case StreamEvent.BlockStop s -> {
                PendingCall call = calls.remove(s.index());
                if (call != null) {
                    out.add(callChunk(call));
                }
            }
            case StreamEvent.UsageUpdate u -> usage = u.usage();
            case StreamEvent.MessageStop s -> finish(s.reason(), out);
        }
        return out;
    }

    /** The end of the upstream stream: pending calls and the final chunk, when no stop event came. */
    public List<ObjectNode> complete() {
        List<ObjectNode> out = new ArrayList<>(2);
        if (!stopped) {
            finish(FinishReason.STOP, out);
        }
        return out;
    }

    private void finish(FinishReason reason, List<ObjectNode> out) {
        for (PendingCall call : calls.values()) {
            out.add(callChunk(call));
        }
        calls.clear();
        stopped = true;
        ObjectNode last = chunk(List.of(Json.object().put("text", "")));
        ObjectNode candidate = (ObjectNode) last.path("candidates").path(0);
        candidate.put("finishReason", GeminiFinishReasons.toGemini(reason));
        last.remove("modelVersion");
        last.remove("responseId");
        last.set("usageMetadata", GeminiResponseCodec.encodeUsage(usage == null ? Usage.ZERO : usage));
        last.put("modelVersion", displayModel);
        last.put("responseId", responseId);
        out.add(last);
    }

    private ObjectNode callChunk(PendingCall call) {
        return chunk(List.of(GeminiResponseCodec.functionCall(call.id, call.name, call.args.toString())));
    }

    private ObjectNode chunk(List<ObjectNode> parts) {
        ObjectNode body = Json.object();
        ObjectNode candidate = body.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        ArrayNode array = content.putArray("parts");
        parts.forEach(array::add);
        content.put("role", "model");
        candidate.put("index", 0);
        body.put("modelVersion", displayModel);
        body.put("responseId", responseId);
        return body;
    }
}
