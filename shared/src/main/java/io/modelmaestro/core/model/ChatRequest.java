package io.modelmaestro.core.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The canonical chat request every dialect decodes into and every provider encodes from. {@code system} holds the
 * system prompt(s) apart from the turns, as Anthropic, Converse and Gemini want it.
 */
public record ChatRequest(
        String model,
        List<ContentPart> system,
        List<Message> messages,
        List<ToolSpec> tools,
        @Nullable ToolChoice toolChoice,
        GenerationParams params,
        @Nullable ResponseFormat responseFormat,
        @Nullable ReasoningConfig reasoning,
        boolean stream,
        @Nullable String user) {

    public ChatRequest {
        system = List.copyOf(system);
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
    }

    public ChatRequest withModel(String newModel) {
        return new ChatRequest(
                newModel, system, messages, tools, toolChoice, params, responseFormat, reasoning, stream, user);
    }
}
