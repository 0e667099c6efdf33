package io.modelmaestro.core.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** One turn of the conversation. */
public record Message(
        Role role, List<ContentPart> content, @Nullable String name) {

    public Message {
        content = List.copyOf(content);
    }

    public static Message text(Role role, String text) {
        return new Message(role, List.of(new ContentPart.Text(text)), null);
    }

    /** The concatenated text parts. */
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
