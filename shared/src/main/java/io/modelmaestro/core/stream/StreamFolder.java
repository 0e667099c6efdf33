package io.modelmaestro.core.stream;

import io.modelmaestro.core.model.ChatResult;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Folds a stream of {@link StreamEvent}s into a {@link ChatResult}, so a non-streaming client can be served from a
 * streaming upstream and tests can compare the two paths. Created per stream; not thread-safe.
 */
public final class StreamFolder {

    private final TreeMap<Integer, Block> blocks = new TreeMap<>();
    private String id = "";
    private String model = "";
    private Usage usage = Usage.ZERO;
    private FinishReason finish = FinishReason.STOP;
    private @Nullable String rawFinish;

    public void accept(StreamEvent event) {
        switch (event) {
            case StreamEvent.MessageStart s -> {
                id = s.id();
                model = s.model();
            }
            case StreamEvent.BlockStart s -> blocks.put(s.index(), new Block(s.kind(), s.toolId(), s.toolName()));
            case StreamEvent.TextDelta d ->
                block(d.index(), StreamEvent.BlockKind.TEXT).text.append(d.text());
            case StreamEvent.ReasoningDelta d -> {
                Block b = block(d.index(), StreamEvent.BlockKind.REASONING);
                b.text.append(d.text());
                if (d.signature() != null) {
                    b.signature = d.signature();
                }
            }
            case StreamEvent.ToolArgsDelta d ->
                block(d.index(), StreamEvent.BlockKind.TOOL_CALL).text.append(d.jsonFragment());
            case StreamEvent.BlockStop s -> {}
            case StreamEvent.UsageUpdate u -> usage = u.usage();
            case StreamEvent.MessageStop s -> {
                finish = s.reason();
                rawFinish = s.rawReason();
            }
        }
    }

    private Block block(int index, StreamEvent.BlockKind kind) {
        return blocks.computeIfAbsent(index, i -> new Block(kind, null, null));
    }

    public ChatResult result() {
        List<ContentPart> parts = new ArrayList<>();
        for (Block b : blocks.values()) {
            switch (b.kind) {
                case TEXT -> parts.add(new ContentPart.Text(b.text.toString()));
                case REASONING -> parts.add(new ContentPart.Reasoning(b.text.toString(), b.signature));
                case TOOL_CALL ->
                    parts.add(new ContentPart.ToolCall(
                            b.toolId == null ? "" : b.toolId,
                            b.toolName == null ? "" : b.toolName,
                            b.text.isEmpty() ? "{}" : b.text.toString()));
            }
        }
        return new ChatResult(id, model, parts, finish, rawFinish, usage);
    }

    private static final class Block {
        final StreamEvent.BlockKind kind;
        final @Nullable String toolId;
        final @Nullable String toolName;
        final StringBuilder text = new StringBuilder();

        @Nullable
        String signature;

        Block(StreamEvent.BlockKind kind, @Nullable String toolId, @Nullable String toolName) {
            this.kind = kind;
            this.toolId = toolId;
            this.toolName = toolName;
        }
    }
}
