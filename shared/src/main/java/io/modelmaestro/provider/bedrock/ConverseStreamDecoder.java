package io.modelmaestro.provider.bedrock;

import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.core.stream.StreamEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;

/**
 * ConverseStream events → canonical {@link StreamEvent}s, one instance per stream. The mapping is one to one except
 * that text and reasoning blocks have no {@code contentBlockStart} in Converse (the first delta opens them), and that
 * Converse sends {@code metadata} (usage) after {@code messageStop}, while the canonical stream ends with usage and
 * then {@code MessageStop}: the stop is held until the metadata or the end of the stream.
 */
final class ConverseStreamDecoder {

    private final String id;
    private final String model;
    private final Map<Integer, Integer> indexOf = new HashMap<>();
    private final Map<Integer, StreamEvent.BlockKind> open = new HashMap<>();
    private int nextIndex;
    private boolean started;
    private boolean stopped;
    private @Nullable String stopReason;
    private @Nullable Usage usage;

    ConverseStreamDecoder(String id, String model) {
        this.id = id;
        this.model = model;
    }

    List<StreamEvent> decode(ConverseStreamOutput event) {
        List<StreamEvent> out = new ArrayList<>();
        start(out);
        switch (event) {
            case MessageStartEvent m -> {}
            case ContentBlockStartEvent s -> {
                if (s.start() != null && s.start().toolUse() != null) {
                    open(
                            out,
                            s.contentBlockIndex(),
                            StreamEvent.BlockKind.TOOL_CALL,
                            s.start().toolUse().toolUseId(),
                            s.start().toolUse().name());
                }
            }
            case ContentBlockDeltaEvent d -> delta(out, d.contentBlockIndex(), d.delta());
            case ContentBlockStopEvent s -> {
                Integer index = indexOf.get(s.contentBlockIndex());
                if (index != null && open.remove(index) != null) {
                    out.add(new StreamEvent.BlockStop(index));
                }
            }
            case MessageStopEvent s -> stopReason = s.stopReasonAsString();
            case ConverseStreamMetadataEvent m -> {
                usage = ConverseToCanonical.usage(m.usage());
                out.addAll(finish());
            }
            default -> {}
        }
        return out;
    }

    /** What is still owed at the end of the stream: open blocks closed, usage, the stop. Idempotent. */
    List<StreamEvent> finish() {
        List<StreamEvent> out = new ArrayList<>();
        if (stopped) {
            return out;
        }
        start(out);
        open.keySet().stream().sorted().forEach(i -> out.add(new StreamEvent.BlockStop(i)));
        open.clear();
        if (usage != null) {
            out.add(new StreamEvent.UsageUpdate(usage));
        }
        FinishReason reason = ConverseToCanonical.finishReason(stopReason);
        out.add(new StreamEvent.MessageStop(reason, reason == FinishReason.STOP_SEQUENCE ? null : stopReason));
        stopped = true;
        return out;
    }

    private void start(List<StreamEvent> out) {
        if (!started) {
            started = true;
            out.add(new StreamEvent.MessageStart(id, model));
        }
    }

    private void delta(List<StreamEvent> out, @Nullable Integer upstreamIndex, @Nullable ContentBlockDelta delta) {
        if (delta == null || upstreamIndex == null) {
            return;
        }
        if (delta.text() != null) {
            int index = open(out, upstreamIndex, StreamEvent.BlockKind.TEXT, null, null);
            if (!delta.text().isEmpty()) {
                out.add(new StreamEvent.TextDelta(index, delta.text()));
            }
        } else if (delta.toolUse() != null) {
            int index = open(out, upstreamIndex, StreamEvent.BlockKind.TOOL_CALL, "", "");
            String input = delta.toolUse().input();
            if (input != null && !input.isEmpty()) {
                out.add(new StreamEvent.ToolArgsDelta(index, input));
            }
        } else if (delta.reasoningContent() != null) {
            ReasoningContentBlockDelta r = delta.reasoningContent();
            int index = open(out, upstreamIndex, StreamEvent.BlockKind.REASONING, null, null);
            if (r.text() != null) {
                out.add(new StreamEvent.ReasoningDelta(index, r.text(), null));
            } else if (r.signature() != null) {
                out.add(new StreamEvent.ReasoningDelta(index, "", r.signature()));
            }
        }
    }

    /** The canonical index of an upstream block, opening it (with a {@code BlockStart}) on first sight. */
    private int open(
            List<StreamEvent> out,
            @Nullable Integer upstreamIndex,
            StreamEvent.BlockKind kind,
            @Nullable String toolId,
            @Nullable String toolName) {
        int key = upstreamIndex == null ? -1 : upstreamIndex;
        Integer known = indexOf.get(key);
        if (known != null) {
            return known;
        }
        int index = nextIndex++;
        indexOf.put(key, index);
        open.put(index, kind);
        out.add(new StreamEvent.BlockStart(index, kind, toolId, toolName));
        return index;
    }
}
