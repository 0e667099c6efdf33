package io.modelmaestro.routing;

import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.Message;

/**
 * What a request needs from the model that serves it, as far as group resolution cares: images need {@code vision},
 * tool definitions need {@code tools}, and the prompt must fit the context window.
 *
 * @param promptTokens the gateway's estimate of the prompt's size in tokens (0 when unknown)
 */
public record RequestNeeds(boolean vision, boolean tools, long promptTokens) {

    public static final RequestNeeds NONE = new RequestNeeds(false, false, 0);

    public static RequestNeeds of(ChatRequest request, long promptTokens) {
        boolean images = false;
        for (ContentPart p : request.system()) {
            images |= p instanceof ContentPart.Image;
        }
        for (Message m : request.messages()) {
            for (ContentPart p : m.content()) {
                images |= p instanceof ContentPart.Image;
            }
        }
        return new RequestNeeds(images, !request.tools().isEmpty(), promptTokens);
    }

    /** Only the size is known (embeddings, legacy completions). */
    public static RequestNeeds ofSize(long promptTokens) {
        return new RequestNeeds(false, false, promptTokens);
    }
}
