package io.modelmaestro.wire.ollama;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.model.ContentPart;
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
 * Canonical {@link StreamEvent}s → Ollama NDJSON lines, for {@code /api/chat} ({@code message.content},
 * {@code message.thinking}, {@code message.tool_calls}) or {@code /api/generate} ({@code response}, {@code thinking}).
 * Ollama sends a tool call whole, so argument fragments are collected until the call's block ends and then go out as
 * one line. The final {@code "done": true} line with usage and durations comes from {@link #complete}, once the
 * upstream stream is over.
 *
 * <p>Created per stream; not thread-safe.
 */
public final class OllamaStreamEncoder {

    private final String model;
    private final boolean chat;
    private final boolean includeThinking;
    private final Map<Integer, PendingCall> calls = new HashMap<>();
    private int callIndex;
    private Usage usage = Usage.ZERO;
    private FinishReason reason = FinishReason.STOP;
    private boolean sawContent;

    /**
     * @param chat true for {@code /api/chat} lines, false for {@code /api/generate} lines
     * @param includeThinking false when the client turned thinking off: reasoning is then not sent
     */
    public OllamaStreamEncoder(String model, boolean chat, boolean includeThinking) {
        this.model = model;
        this.chat = chat;
        this.includeThinking = includeThinking;
    }

    /** Lines for one event, each ending in a newline; {@code createdAt} stamps them. */
    public List<byte[]> encode(StreamEvent event, String createdAt) {
        List<byte[]> out = new ArrayList<>(1);
        switch (event) {
            case StreamEvent.MessageStart s -> {}
            case StreamEvent.BlockStart b -> {
                if (b.kind() == StreamEvent.BlockKind.TOOL_CALL) {
                    calls.put(
                            b.index(),
                            new PendingCall(
                                    b.toolId() == null ? "" : b.toolId(), b.toolName() == null ? "" : b.toolName()));
                }
            }
            case StreamEvent.TextDelta d -> {
                if (!d.text().isEmpty()) {
                    sawContent = true;
                    out.add(line(content(d.text(), null), createdAt));
                }
            }
            case StreamEvent.ReasoningDelta d -> {
                if (includeThinking && !d.text().isEmpty()) {
                    sawContent = true;
                    out.add(line(content("", d.text()), createdAt));
                }
            }
            case StreamEvent.ToolArgsDelta d -> {
                PendingCall call = calls.get(d.index());
                if (call != null) {
                    call.arguments.append(d.jsonFragment());
                }
            }
            case StreamEvent.BlockStop b -> {
                PendingCall call = calls.remove(b.index());
                if (call != null) {
                    out.add(toolCallLine(call, createdAt));
                }
            }
            case StreamEvent.UsageUpdate u -> usage = u.usage();
            case StreamEvent.MessageStop s -> reason = s.reason();
        }
        return out;
    }

    /** Tool calls still open, then the final {@code "done": true} line with usage and durations. */
    public List<byte[]> complete(String createdAt, OllamaTimings timings) {
        List<byte[]> out = new ArrayList<>(2);
        for (PendingCall call : List.copyOf(calls.values())) {
            out.add(toolCallLine(call, createdAt));
        }
        calls.clear();
        ObjectNode last = content("", null);
        OllamaResponseEncoder.finish(last, OllamaDoneReasons.fromCanonical(reason), usage, timings);
        out.add(line(last, createdAt));
        return out;
    }

    /** Whether any text, thinking or tool call went out yet (the time of the first one is the prompt-eval time). */
    public boolean sawContent() {
        return sawContent;
    }

    public Usage usage() {
        return usage;
    }

    private byte[] toolCallLine(PendingCall call, String createdAt) {
        sawContent = true;
        ObjectNode body = content("", null);
        if (chat) {
            ((ObjectNode) body.get("message"))
                    .putArray("tool_calls")
                    .add(OllamaResponseEncoder.toolCall(
                            new ContentPart.ToolCall(call.id, call.name, call.arguments.toString()), callIndex++));
        }
        return line(body, createdAt);
    }

    private ObjectNode content(String text, @Nullable String thinking) {
        ObjectNode body = Json.object();
        if (chat) {
            ObjectNode message = body.putObject("message");
            message.put("role", "assistant");
            message.put("content", text);
            if (thinking != null) {
                message.put("thinking", thinking);
            }
        } else {
            body.put("response", text);
            if (thinking != null) {
                body.put("thinking", thinking);
            }
        }
        return body;
    }

    private byte[] line(ObjectNode content, String createdAt) {
        ObjectNode body = OllamaResponseEncoder.head(model, createdAt);
        body.setAll(content);
        if (!body.has("done")) {
            body.put("done", false);
        }
        return ndjson(body);
    }

    /** A JSON object as one NDJSON line. */
    public static byte[] ndjson(ObjectNode body) {
        byte[] json = Json.write(body);
        byte[] out = new byte[json.length + 1];
        System.arraycopy(json, 0, out, 0, json.length);
        out[json.length] = '\n';
        return out;
    }

    private static final class PendingCall {
        final String id;
        final String name;
        final StringBuilder arguments = new StringBuilder();

        PendingCall(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }
}
