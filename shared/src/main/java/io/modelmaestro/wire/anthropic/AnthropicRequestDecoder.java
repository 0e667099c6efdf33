package io.modelmaestro.wire.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.error.GatewayException.InvalidRequest;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.GenerationParams;
import io.modelmaestro.core.model.Message;
import io.modelmaestro.core.model.ReasoningConfig;
import io.modelmaestro.core.model.ResponseFormat;
import io.modelmaestro.core.model.Role;
import io.modelmaestro.core.model.ToolChoice;
import io.modelmaestro.core.model.ToolSpec;
import io.modelmaestro.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Anthropic Messages request → canonical {@link ChatRequest}. It is also the validator of the Anthropic surface:
 * a wrong type is a 400 naming the field in Anthropic's dotted style ({@code messages.0.content.1.type}) before any
 * upstream is called.
 *
 * <p>What the canonical model has no place for is not lost on the way to an {@code anthropic} node: that path sends
 * the client's body itself (passthrough). On the canonical path the rules of docs/providers/anthropic.md apply:
 * {@code cache_control}, {@code metadata}, {@code context_management}, {@code service_tier} and server tools are
 * dropped; unknown blocks are kept as {@link ContentPart.Unknown}.
 */
public final class AnthropicRequestDecoder {

    private AnthropicRequestDecoder() {}

    /** A {@code /v1/messages} body: {@code max_tokens} is required. */
    public static ChatRequest decode(ObjectNode body) {
        return decode(body, true);
    }

    /** A {@code /v1/messages/count_tokens} body: the same without {@code max_tokens}. */
    public static ChatRequest decodeForCount(ObjectNode body) {
        return decode(body, false);
    }

    private static ChatRequest decode(ObjectNode body, boolean requireMaxTokens) {
        String model = requiredModel(body);
        Integer maxTokens = optionalInt(body, "max_tokens");
        if (requireMaxTokens && maxTokens == null) {
            throw new InvalidRequest("max_tokens: Field required", "max_tokens");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw new InvalidRequest("max_tokens: Input should be greater than or equal to 1", "max_tokens");
        }
        JsonNode messagesNode = body.get("messages");
        if (messagesNode == null || messagesNode.isNull()) {
            throw new InvalidRequest("messages: Field required", "messages");
        }
        if (!messagesNode.isArray()) {
            throw new InvalidRequest("messages: Input should be a valid list", "messages");
        }
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < messagesNode.size(); i++) {
            decodeMessage(messagesNode.get(i), "messages." + i, messages);
        }
        JsonNode outputConfig = body.get("output_config");
        if (outputConfig != null && !outputConfig.isNull() && !outputConfig.isObject()) {
            throw new InvalidRequest("output_config: Input should be an object", "output_config");
        }
        JsonNode metadata = body.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw new InvalidRequest("metadata: Input should be an object", "metadata");
        }
        return new ChatRequest(
                model,
                system(body.get("system")),
                messages,
                tools(body.get("tools")),
                toolChoice(body.get("tool_choice")),
                params(body, maxTokens),
                responseFormat(outputConfig),
                reasoning(body.get("thinking"), outputConfig),
                bool(body, "stream"),
                null);
    }

    public static String requiredModel(JsonNode body) {
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            throw new InvalidRequest("model: Field required", "model");
        }
        if (!model.isTextual()) {
            throw new InvalidRequest("model: Input should be a valid string", "model");
        }
        String name = model.asText().strip();
        if (name.isEmpty()) {
            throw new InvalidRequest("model: String should have at least 1 character", "model");
        }
        if (name.length() > 255) {
            throw new InvalidRequest("model: String should have at most 255 characters", "model");
        }
        return name;
    }

    private static void decodeMessage(JsonNode m, String path, List<Message> out) {
        if (!m.isObject()) {
            throw new InvalidRequest(path + ": Input should be an object", path);
        }
        JsonNode roleNode = m.get("role");
        if (roleNode == null || roleNode.isNull()) {
            throw new InvalidRequest(path + ".role: Field required", path + ".role");
        }
        String role = roleNode.asText();
        JsonNode content = m.get("content");
        if (content == null || content.isNull()) {
            throw new InvalidRequest(path + ".content: Field required", path + ".content");
        }
        switch (role) {
            case "user" -> decodeUser(content, path + ".content", out);
            case "assistant" -> out.add(new Message(Role.ASSISTANT, assistantParts(content, path + ".content"), null));
            default -> throw new InvalidRequest(path + ".role: Input should be 'user' or 'assistant'", path + ".role");
        }
    }

    /**
     * A user turn. Its {@code tool_result} blocks become one {@code TOOL} message (images inside a result follow that
     * result); the other blocks a {@code USER} message after it.
     */
    private static void decodeUser(JsonNode content, String path, List<Message> out) {
        if (content.isTextual()) {
            out.add(Message.text(Role.USER, content.asText()));
            return;
        }
        if (!content.isArray()) {
            throw new InvalidRequest(path + ": Input should be a valid string or list", path);
        }
        List<ContentPart> results = new ArrayList<>();
        List<ContentPart> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            String p = path + "." + i;
            String type = blockType(block, p);
            switch (type) {
                case "text" -> parts.add(new ContentPart.Text(requiredString(block, "text", p)));
                case "image" -> parts.add(image(block, p));
                case "tool_result" -> toolResult(block, p, results);
                default -> parts.add(new ContentPart.Unknown(type, block));
            }
        }
        if (!results.isEmpty()) {
            out.add(new Message(Role.TOOL, results, null));
        }
        if (!parts.isEmpty() || results.isEmpty()) {
            out.add(new Message(Role.USER, parts, null));
        }
    }

    private static void toolResult(JsonNode block, String path, List<ContentPart> out) {
        String id = requiredString(block, "tool_use_id", path);
        JsonNode isError = block.get("is_error");
        if (isError != null && !isError.isNull() && !isError.isBoolean()) {
            throw new InvalidRequest(path + ".is_error: Input should be a valid boolean", path + ".is_error");
        }
        boolean error = isError != null && isError.asBoolean(false);
        JsonNode content = block.get("content");
        List<ContentPart.Image> images = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        if (content == null || content.isNull()) {
            // an empty result
        } else if (content.isTextual()) {
            text.append(content.asText());
        } else if (content.isArray()) {
            for (int i = 0; i < content.size(); i++) {
                JsonNode part = content.get(i);
                String p = path + ".content." + i;
                String type = blockType(part, p);
                switch (type) {
                    case "text" -> {
                        if (!text.isEmpty()) {
                            text.append('\n');
                        }
                        text.append(requiredString(part, "text", p));
                    }
                    case "image" -> {
                        if (image(part, p) instanceof ContentPart.Image img) {
                            images.add(img);
                        }
                    }
                    default -> {
                        // search results and documents inside a result: their text, when they have one
                        String t = Json.text(part, "text");
                        if (t != null) {
                            if (!text.isEmpty()) {
                                text.append('\n');
                            }
                            text.append(t);
                        }
                    }
                }
            }
        } else {
            throw new InvalidRequest(path + ".content: Input should be a valid string or list", path + ".content");
        }
        out.add(new ContentPart.ToolResult(id, text.toString(), error));
        out.addAll(images);
    }

    private static List<ContentPart> assistantParts(JsonNode content, String path) {
        if (content.isTextual()) {
            return List.of(new ContentPart.Text(content.asText()));
        }
        if (!content.isArray()) {
            throw new InvalidRequest(path + ": Input should be a valid string or list", path);
        }
        List<ContentPart> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            String p = path + "." + i;
            String type = blockType(block, p);
            switch (type) {
                case "text" -> parts.add(new ContentPart.Text(requiredString(block, "text", p)));
                case "thinking" ->
                    parts.add(new ContentPart.Reasoning(
                            requiredString(block, "thinking", p), optionalString(block, "signature", p)));
                case "tool_use" -> {
                    String id = requiredString(block, "id", p);
                    String name = requiredString(block, "name", p);
                    JsonNode input = block.get("input");
                    if (input != null && !input.isNull() && !input.isObject()) {
                        throw new InvalidRequest(p + ".input: Input should be an object", p + ".input");
                    }
                    parts.add(new ContentPart.ToolCall(
                            id, name, input == null || input.isNull() ? "{}" : Json.writeString(input)));
                }
                default -> parts.add(new ContentPart.Unknown(type, block));
            }
        }
        return parts;
    }

    /** An image block; a {@code file} source (Files API) has no canonical form and stays unknown. */
    private static ContentPart image(JsonNode block, String path) {
        JsonNode source = block.get("source");
        if (source == null || !source.isObject()) {
            throw new InvalidRequest(path + ".source: Field required", path + ".source");
        }
        String type = requiredString(source, "type", path + ".source");
        return switch (type) {
            case "base64" ->
                new ContentPart.Image(
                        requiredString(source, "media_type", path + ".source"),
                        requiredString(source, "data", path + ".source"),
                        null);
            case "url" -> new ContentPart.Image(null, null, requiredString(source, "url", path + ".source"));
            default -> new ContentPart.Unknown("image", block);
        };
    }

    private static List<ContentPart> system(@Nullable JsonNode system) {
        if (system == null || system.isNull()) {
            return List.of();
        }
        if (system.isTextual()) {
            return system.asText().isEmpty() ? List.of() : List.of(new ContentPart.Text(system.asText()));
        }
        if (!system.isArray()) {
            throw new InvalidRequest("system: Input should be a valid string or list", "system");
        }
        List<ContentPart> parts = new ArrayList<>();
        for (int i = 0; i < system.size(); i++) {
            JsonNode block = system.get(i);
            String p = "system." + i;
            String type = blockType(block, p);
            if (!"text".equals(type)) {
                throw new InvalidRequest(p + ".type: Input should be 'text'", p + ".type");
            }
            parts.add(new ContentPart.Text(requiredString(block, "text", p)));
        }
        return parts;
    }

    /** Client tools; Anthropic-defined and server tools ({@code type} other than {@code custom}) have no canonical form. */
    private static List<ToolSpec> tools(@Nullable JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw new InvalidRequest("tools: Input should be a valid list", "tools");
        }
        List<ToolSpec> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String p = "tools." + i;
            if (!tool.isObject()) {
                throw new InvalidRequest(p + ": Input should be an object", p);
            }
            String type = optionalString(tool, "type", p);
            String name = requiredString(tool, "name", p);
            if (type != null && !"custom".equals(type)) {
                continue;
            }
            JsonNode schema = tool.get("input_schema");
            if (schema != null && !schema.isNull() && !schema.isObject()) {
                throw new InvalidRequest(p + ".input_schema: Input should be an object", p + ".input_schema");
            }
            out.add(new ToolSpec(
                    name,
                    optionalString(tool, "description", p),
                    schema == null || schema.isNull() ? emptySchema() : schema));
        }
        return out;
    }

    private static JsonNode emptySchema() {
        ObjectNode schema = Json.object();
        schema.put("type", "object");
        schema.set("properties", Json.object());
        return schema;
    }

    private static @Nullable ToolChoice toolChoice(@Nullable JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (!choice.isObject()) {
            throw new InvalidRequest("tool_choice: Input should be an object", "tool_choice");
        }
        String type = requiredString(choice, "type", "tool_choice");
        return switch (type) {
            case "auto" -> new ToolChoice.Auto();
            case "any" -> new ToolChoice.Required();
            case "none" -> new ToolChoice.None();
            case "tool" -> new ToolChoice.Named(requiredString(choice, "name", "tool_choice"));
            default ->
                throw new InvalidRequest(
                        "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'", "tool_choice.type");
        };
    }

    private static GenerationParams params(JsonNode body, @Nullable Integer maxTokens) {
        Double temperature = optionalNumber(body, "temperature");
        if (temperature != null && (temperature < 0 || temperature > 1)) {
            throw new InvalidRequest("temperature: Input should be between 0 and 1", "temperature");
        }
        Double topP = optionalNumber(body, "top_p");
        if (topP != null && (topP < 0 || topP > 1)) {
            throw new InvalidRequest("top_p: Input should be between 0 and 1", "top_p");
        }
        Integer topK = optionalInt(body, "top_k");
        if (topK != null && topK < 0) {
            throw new InvalidRequest("top_k: Input should be greater than or equal to 0", "top_k");
        }
        List<String> stop = new ArrayList<>();
        JsonNode sequences = body.get("stop_sequences");
        if (sequences != null && !sequences.isNull()) {
            if (!sequences.isArray()) {
                throw new InvalidRequest("stop_sequences: Input should be a valid list", "stop_sequences");
            }
            for (int i = 0; i < sequences.size(); i++) {
                if (!sequences.get(i).isTextual()) {
                    throw new InvalidRequest(
                            "stop_sequences." + i + ": Input should be a valid string", "stop_sequences." + i);
                }
                stop.add(sequences.get(i).asText());
            }
        }
        return new GenerationParams(maxTokens, temperature, topP, topK, stop, null, null, null, null);
    }

    /** {@code output_config.format} of type {@code json_schema} (structured outputs). */
    private static @Nullable ResponseFormat responseFormat(@Nullable JsonNode outputConfig) {
        if (outputConfig == null || !outputConfig.isObject()) {
            return null;
        }
        JsonNode format = outputConfig.get("format");
        if (format == null || !format.isObject() || !"json_schema".equals(Json.text(format, "type"))) {
            return null;
        }
        JsonNode schema = format.get("schema");
        return new ResponseFormat.JsonSchema(
                "response", schema == null || !schema.isObject() ? Json.object() : schema, null);
    }

    /**
     * {@code thinking} ⇄ {@link ReasoningConfig}: {@code enabled} keeps its budget, {@code adaptive} is reasoning at
     * the effort of {@code output_config.effort} (when given), {@code disabled} is none. {@code max} effort is {@code
     * high} on the canonical scale.
     */
    private static @Nullable ReasoningConfig reasoning(@Nullable JsonNode thinking, @Nullable JsonNode outputConfig) {
        String effort = outputConfig == null ? null : Json.text(outputConfig, "effort");
        if (effort != null) {
            effort = switch (effort) {
                case "low", "medium", "high" -> effort;
                case "max", "xhigh" -> "high";
                default -> null;
            };
        }
        if (thinking == null || thinking.isNull()) {
            return effort == null ? null : new ReasoningConfig(true, effort, null);
        }
        if (!thinking.isObject()) {
            throw new InvalidRequest("thinking: Input should be an object", "thinking");
        }
        String type = requiredString(thinking, "type", "thinking");
        return switch (type) {
            case "enabled" -> {
                Integer budget = optionalInt(thinking, "budget_tokens");
                if (budget == null) {
                    throw new InvalidRequest("thinking.budget_tokens: Field required", "thinking.budget_tokens");
                }
                yield new ReasoningConfig(true, effort, budget);
            }
            case "adaptive" -> new ReasoningConfig(true, effort, null);
            case "disabled" -> null;
            default ->
                throw new InvalidRequest(
                        "thinking.type: Input should be 'enabled', 'adaptive' or 'disabled'", "thinking.type");
        };
    }

    private static String blockType(JsonNode block, String path) {
        if (!block.isObject()) {
            throw new InvalidRequest(path + ": Input should be an object", path);
        }
        JsonNode type = block.get("type");
        if (type == null || !type.isTextual()) {
            throw new InvalidRequest(path + ".type: Field required", path + ".type");
        }
        return type.asText();
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new InvalidRequest(field + ": Input should be a valid boolean", field);
        }
        return v.asBoolean();
    }

    private static String requiredString(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidRequest(path + "." + field + ": Field required", path + "." + field);
        }
        if (!v.isTextual()) {
            throw new InvalidRequest(path + "." + field + ": Input should be a valid string", path + "." + field);
        }
        return v.asText();
    }

    private static @Nullable String optionalString(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidRequest(path + "." + field + ": Input should be a valid string", path + "." + field);
        }
        return v.asText();
    }

    private static @Nullable Integer optionalInt(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidRequest(field + ": Input should be a valid integer", field);
        }
        return v.asInt();
    }

    private static @Nullable Double optionalNumber(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new InvalidRequest(field + ": Input should be a valid number", field);
        }
        return v.asDouble();
    }
}
