package io.modelmaestro.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.core.error.GatewayException.InvalidRequest;
import io.modelmaestro.core.model.ToolChoice;
import org.jspecify.annotations.Nullable;

/**
 * Typed readers for optional request fields, shared by the OpenAI-family decoders (chat completions and Responses):
 * a wrong type is the client's mistake, a 400 naming the field with OpenAI's wording.
 */
public final class OpenAiFields {

    private OpenAiFields() {}

    public static @Nullable String optionalString(JsonNode node, String field) {
        return optionalString(node, field, field);
    }

    public static @Nullable String optionalString(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidRequest("Invalid type for '" + path + "': expected a string.", path);
        }
        return v.asText();
    }

    public static @Nullable Integer optionalInt(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidRequest("Invalid type for '" + field + "': expected an integer.", field);
        }
        return v.asInt();
    }

    public static @Nullable Double optionalNumber(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new InvalidRequest("Invalid type for '" + field + "': expected a number.", field);
        }
        return v.asDouble();
    }

    /**
     * The string forms of {@code tool_choice}, the same in chat completions and Responses; {@code null} when {@code
     * choice} is an object (whose shape differs between the two). Anything else is a 400 naming {@code tool_choice}.
     */
    public static @Nullable ToolChoice toolChoiceKeyword(JsonNode choice) {
        if (choice.isObject()) {
            return null;
        }
        if (!choice.isTextual()) {
            throw new InvalidRequest("Invalid type for 'tool_choice': expected a string or an object.", "tool_choice");
        }
        return switch (choice.asText()) {
            case "auto" -> new ToolChoice.Auto();
            case "none" -> new ToolChoice.None();
            case "required" -> new ToolChoice.Required();
            default ->
                throw new InvalidRequest(
                        "Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or an object.",
                        "tool_choice");
        };
    }
}
