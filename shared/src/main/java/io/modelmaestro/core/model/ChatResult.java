package io.modelmaestro.core.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A complete (non-streamed, or folded) assistant answer. */
public record ChatResult(
        String id,
        String model,
        List<ContentPart> content,
        FinishReason finishReason,
        @Nullable String rawFinishReason,
        Usage usage) {

    public ChatResult {
        content = List.copyOf(content);
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        for (ContentPart part : content) {
            if (part instanceof ContentPart.Text t) {
                out.append(t.text());
            }
        }
        return out.toString();
    }
}
