package io.modelmaestro.wire.openai;

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
 * OpenAI chat-completion chunks → canonical {@link StreamEvent}s. OpenAI interleaves content kinds freely inside
 * deltas; the canonical model has sequential blocks, so a block is closed whenever another kind begins. The stop
 * event is held back until the end of the stream because usage arrives after {@code finish_reason}.
 *
 * <p>Created per stream; not thread-safe.
 */
public final class OpenAiStreamDecoder {

    private boolean started;
    private int nextIndex;
    private int openIndex = -1;
    private StreamEvent.@Nullable BlockKind openKind;
    private final Map<Integer, Integer> toolBlockByOpenAiIndex = new HashMap<>();
    private @Nullable String finishReason;
    private @Nullable String matchedStop;
    private @Nullable Usage usage;
    private boolean finished;

    public List<StreamEvent> decode(JsonNode chunk) {
        List<StreamEvent> out = new ArrayList<>(3);
        if (!started) {
            started = true;
            out.add(new StreamEvent.MessageStart(
                    chunk.path("id").asText(""), chunk.path("model").asText("")));
        }
        JsonNode usageNode = chunk.get("usage");
        if (usageNode != null && usageNode.isObject()) {
            usage = OpenAiResponseCodec.usage(usageNode);
        }
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.isMissingNode()) {
            return out;
        }
        JsonNode delta = choice.path("delta");
        String reasoning = OpenAiResponseCodec.firstText(delta, "reasoning_content", "reasoning");
        if (reasoning != null && !reasoning.isEmpty()) {
            ensureOpen(StreamEvent.BlockKind.REASONING, out);
            out.add(new StreamEvent.ReasoningDelta(openIndex, reasoning, null));
        }
        String content = Json.text(delta, "content");
        if (content != null && !content.isEmpty()) {
            ensureOpen(StreamEvent.BlockKind.TEXT, out);
            out.add(new StreamEvent.TextDelta(openIndex, content));
        }
        for (JsonNode call : delta.path("tool_calls")) {
            int oaIndex = call.path("index").asInt(toolBlockByOpenAiIndex.size());
            Integer block = toolBlockByOpenAiIndex.get(oaIndex);
            JsonNode fn = call.path("function");
            if (block == null) {
                closeOpen(out);
                block = nextIndex++;
                toolBlockByOpenAiIndex.put(oaIndex, block);
                openIndex = block;
                openKind = StreamEvent.BlockKind.TOOL_CALL;
                out.add(new StreamEvent.BlockStart(
                        block,
                        StreamEvent.BlockKind.TOOL_CALL,
                        call.path("id").asText("call_" + block),
                        fn.path("name").asText("")));
            }
            String args = Json.text(fn, "arguments");
            if (args != null && !args.isEmpty()) {
                out.add(new StreamEvent.ToolArgsDelta(block, args));
            }
        }
        String finish = Json.text(choice, "finish_reason");
        if (finish != null) {
            finishReason = finish;
            matchedStop = Json.text(choice, "stop_reason");
        }
        return out;
    }

    /** Closes what is open and emits usage and the stop event. Idempotent. */
    public List<StreamEvent> finish() {
        List<StreamEvent> out = new ArrayList<>(3);
        if (finished) {
            return out;
        }
        finished = true;
        if (!started) {
            out.add(new StreamEvent.MessageStart("", ""));
        }
        closeOpen(out);
        if (usage != null) {
            out.add(new StreamEvent.UsageUpdate(usage));
        }
        FinishReason reason = OpenAiFinishReasons.toCanonical(finishReason, matchedStop);
        out.add(new StreamEvent.MessageStop(reason, reason == FinishReason.STOP_SEQUENCE ? matchedStop : finishReason));
        return out;
    }

    public boolean sawFinishReason() {
        return finishReason != null;
    }

    private void ensureOpen(StreamEvent.BlockKind kind, List<StreamEvent> out) {
        if (openKind == kind) {
            return;
        }
        closeOpen(out);
        openIndex = nextIndex++;
        openKind = kind;
        out.add(new StreamEvent.BlockStart(openIndex, kind, null, null));
    }

    private void closeOpen(List<StreamEvent> out) {
        if (openKind != null) {
            out.add(new StreamEvent.BlockStop(openIndex));
            openKind = null;
        }
    }
}
