package io.modelmaestro.wire.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.json.Json;
import io.modelmaestro.sse.SseWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Canonical {@link StreamEvent}s → OpenAI chat-completion chunks as SSE frames. Reasoning goes out as {@code
 * reasoning_content} (what Cursor and the DeepSeek-style clients read). Usage is sent as the final, choice-less chunk
 * only when the client asked for it ({@code stream_options.include_usage}).
 *
 * <p>Created per stream; not thread-safe.
 */
public final class OpenAiStreamEncoder {

    private final String displayModel;
    private final long created;
    private final boolean includeUsage;
    private String id;
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
    private @Nullable Usage usage;
    private boolean roleSent;

    public OpenAiStreamEncoder(String displayModel, String fallbackId, long created, boolean includeUsage) {
        this.displayModel = displayModel;
        this.id = fallbackId;
        this.created = created;
        this.includeUsage = includeUsage;
    }

    public List<byte[]> encode(StreamEvent event) {
        List<byte[]> out = new ArrayList<>(1);
        switch (event) {
            case StreamEvent.MessageStart s -> {
                if (!s.id().isEmpty()) {
                    id = s.id();
                }
                ObjectNode delta = Json.object();
                delta.put("role", "assistant");
                delta.put("content", "");
                roleSent = true;
                out.add(chunk(delta, null));
            }
            case StreamEvent.BlockStart b -> {
                if (b.kind() == StreamEvent.BlockKind.TOOL_CALL) {
                    int toolIndex = toolIndexByBlock.size();
                    toolIndexByBlock.put(b.index(), toolIndex);
                    ObjectNode delta = Json.object();
                    ObjectNode call = delta.putArray("tool_calls").addObject();
                    call.put("index", toolIndex);
                    call.put("id", b.toolId() == null ? "call_" + toolIndex : b.toolId());
                    call.put("type", "function");
                    ObjectNode fn = call.putObject("function");
                    fn.put("name", b.toolName() == null ? "" : b.toolName());
                    fn.put("arguments", "");
                    out.add(chunk(delta, null));
                }
            }
            case StreamEvent.TextDelta d -> {
                ObjectNode delta = Json.object();
                delta.put("content", d.text());
                out.add(chunk(delta, null));
            }
            case StreamEvent.ReasoningDelta d -> {
                if (!d.text().isEmpty()) {
                    ObjectNode delta = Json.object();
                    delta.put("reasoning_content", d.text());
                    out.add(chunk(delta, null));
                }
            }
            case StreamEvent.ToolArgsDelta d -> {
                Integer toolIndex = toolIndexByBlock.get(d.index());
                ObjectNode delta = Json.object();
                ObjectNode call = delta.putArray("tool_calls").addObject();
                call.put("index", toolIndex == null ? 0 : toolIndex);
                call.putObject("function").put("arguments", d.jsonFragment());
                out.add(chunk(delta, null));
            }
            case StreamEvent.BlockStop b -> {}
            case StreamEvent.UsageUpdate u -> usage = u.usage();
            case StreamEvent.MessageStop s -> {
                if (!roleSent) {
                    roleSent = true;
                }
                out.add(chunk(Json.object(), OpenAiFinishReasons.fromCanonical(s.reason())));
            }
        }
        return out;
    }

    /** The closing frames: the usage chunk (when asked for) and {@code [DONE]}. */
    public List<byte[]> complete() {
        List<byte[]> out = new ArrayList<>(2);
        Usage u = usage;
        if (includeUsage && u != null) {
            ObjectNode body = base();
            body.putArray("choices");
            body.set("usage", OpenAiResponseCodec.encodeUsage(u));
            out.add(SseWriter.data(Json.write(body)));
        }
        out.add(SseWriter.done());
        return out;
    }

    public @Nullable Usage usage() {
        return usage;
    }

    private byte[] chunk(ObjectNode delta, @Nullable String finishReason) {
        ObjectNode body = base();
        ArrayNode choices = body.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return SseWriter.data(Json.write(body));
    }

    private ObjectNode base() {
        ObjectNode body = Json.object();
        body.put("id", id);
        body.put("object", "chat.completion.chunk");
        body.put("created", created);
        body.put("model", displayModel);
        return body;
    }
}
