package io.modelmaestro.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.json.Json;
import io.modelmaestro.sse.SseDecoder;
import io.modelmaestro.sse.SseEvent;
import io.modelmaestro.sse.SseWriter;
import io.modelmaestro.wire.openai.OpenAiResponseCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The passthrough path for OpenAI-format streams: each upstream event is forwarded with only the model name rewritten
 * to the name the client asked for. Usage is captured on the way; a usage-only chunk the gateway asked for on its
 * own is not forwarded (some clients index {@code choices[0]} on every chunk). Ollama's {@code reasoning} delta field
 * is renamed to {@code reasoning_content}, which Cursor and most OpenAI clients read. A missing {@code [DONE]} is
 * added at the end.
 *
 * <p>Created per stream; not thread-safe.
 */
public final class OpenAiSseRewriter {

    private final SseDecoder decoder = new SseDecoder();
    private final String displayModel;
    private final boolean dropUsageChunk;
    private final boolean renameReasoning;
    private final Consumer<Usage> usageSink;
    private boolean doneSeen;

    public OpenAiSseRewriter(
            String displayModel, boolean dropUsageChunk, boolean renameReasoning, Consumer<Usage> usageSink) {
        this.displayModel = displayModel;
        this.dropUsageChunk = dropUsageChunk;
        this.renameReasoning = renameReasoning;
        this.usageSink = usageSink;
    }

    public List<byte[]> feed(byte[] chunk) {
        List<SseEvent> events = decoder.feed(chunk);
        if (events.isEmpty()) {
            return List.of();
        }
        List<byte[]> out = new ArrayList<>(events.size());
        for (SseEvent e : events) {
            rewrite(e, out);
        }
        return out;
    }

    public List<byte[]> finish() {
        List<byte[]> out = new ArrayList<>(2);
        for (SseEvent e : decoder.finish()) {
            rewrite(e, out);
        }
        if (!doneSeen) {
            doneSeen = true;
            out.add(SseWriter.done());
        }
        return out;
    }

    private void rewrite(SseEvent event, List<byte[]> out) {
        String data = event.data();
        if ("[DONE]".equals(data.strip())) {
            if (!doneSeen) {
                doneSeen = true;
                out.add(SseWriter.done());
            }
            return;
        }
        JsonNode node = Json.tryParse(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (!(node instanceof ObjectNode chunk)) {
            out.add(SseWriter.event(event.event(), data.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return;
        }
        JsonNode usage = chunk.get("usage");
        boolean usageOnly = false;
        if (usage != null && usage.isObject()) {
            usageSink.accept(OpenAiResponseCodec.usage(usage));
            JsonNode choices = chunk.get("choices");
            usageOnly = choices == null || (choices.isArray() && choices.isEmpty());
        }
        if (usageOnly && dropUsageChunk) {
            return;
        }
        if (chunk.has("model")) {
            chunk.put("model", displayModel);
        }
        if (renameReasoning) {
            for (JsonNode choice : chunk.path("choices")) {
                if (choice.get("delta") instanceof ObjectNode delta
                        && delta.has("reasoning")
                        && !delta.has("reasoning_content")) {
                    delta.set("reasoning_content", delta.remove("reasoning"));
                }
            }
        }
        out.add(SseWriter.event(event.event(), Json.write(chunk)));
    }
}
