package io.modelmaestro.wire.openai;

import static io.modelmaestro.wire.OpenAiFields.optionalInt;
import static io.modelmaestro.wire.OpenAiFields.optionalNumber;
import static io.modelmaestro.wire.OpenAiFields.optionalString;

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
import io.modelmaestro.wire.OpenAiFields;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI chat-completions request → canonical {@link ChatRequest}. It is also the validator of the OpenAI surface:
 * every type error becomes a 400 naming the parameter, before any upstream is called.
 */
public final class OpenAiRequestDecoder {

    private OpenAiRequestDecoder() {}

    public static ChatRequest decode(ObjectNode body) {
        String model = requiredModel(body);
        JsonNode messagesNode = body.get("messages");
        if (messagesNode == null || messagesNode.isNull()) {
            throw new InvalidRequest("Missing required parameter: 'messages'.", "messages");
        }
        if (!messagesNode.isArray()) {
            throw new InvalidRequest("Invalid type for 'messages': expected an array.", "messages");
        }
        if (messagesNode.isEmpty()) {
            throw new InvalidRequest("'messages' must contain at least one message.", "messages");
        }
        List<ContentPart> system = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < messagesNode.size(); i++) {
            decodeMessage(messagesNode.get(i), "messages[" + i + "]", system, messages);
        }
        return new ChatRequest(
                model,
                system,
                messages,
                tools(body.get("tools")),
                toolChoice(body.get("tool_choice")),
                params(body),
                responseFormat(body.get("response_format")),
                reasoning(body),
                bool(body, "stream", false),
                optionalString(body, "user"));
    }

    public static String requiredModel(JsonNode body) {
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            throw new InvalidRequest("You must provide a model parameter.", "model");
        }
        if (!model.isTextual()) {
            throw new InvalidRequest("Invalid type for 'model': expected a string.", "model");
        }
        String name = model.asText().strip();
        if (name.isEmpty()) {
            throw new InvalidRequest("You must provide a model parameter.", "model");
        }
        if (name.length() > 255) {
            throw new InvalidRequest("'model' is too long (255 characters at most).", "model");
        }
        return name;
    }

    private static void decodeMessage(JsonNode m, String path, List<ContentPart> system, List<Message> out) {
        if (!m.isObject()) {
            throw new InvalidRequest("Invalid type for '" + path + "': expected an object.", path);
        }
        JsonNode roleNode = m.get("role");
        if (roleNode == null || !roleNode.isTextual()) {
            throw new InvalidRequest("Missing required parameter: '" + path + ".role'.", path + ".role");
        }
        String role = roleNode.asText();
        String name = optionalString(m, "name", path + ".name");
        switch (role) {
            case "system", "developer" -> system.addAll(textParts(m.get("content"), path + ".content", true));
            case "user" -> out.add(new Message(Role.USER, userParts(m.get("content"), path + ".content"), name));
            case "assistant" -> out.add(new Message(Role.ASSISTANT, assistantParts(m, path), name));
            case "tool" -> {
                String id = optionalString(m, "tool_call_id", path + ".tool_call_id");
                if (id == null) {
                    throw new InvalidRequest(
                            "Missing required parameter: '" + path + ".tool_call_id'.", path + ".tool_call_id");
                }
                String text = joinText(textParts(m.get("content"), path + ".content", false));
                out.add(new Message(Role.TOOL, List.of(new ContentPart.ToolResult(id, text, false)), null));
            }
            case "function" -> {
                // The deprecated function role: treat as a tool result keyed by the function name.
                String text = joinText(textParts(m.get("content"), path + ".content", false));
                out.add(new Message(
                        Role.TOOL,
                        List.of(new ContentPart.ToolResult(name == null ? "function" : name, text, false)),
                        null));
            }
            default ->
                throw new InvalidRequest(
                        "Invalid value for '" + path + ".role': '" + role
                                + "'. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.",
                        path + ".role");
        }
    }

    private static List<ContentPart> userParts(@Nullable JsonNode content, String path) {
        if (content == null || content.isNull()) {
            throw new InvalidRequest("Missing required parameter: '" + path + "'.", path);
        }
        if (content.isTextual()) {
            return List.of(new ContentPart.Text(content.asText()));
        }
        if (!content.isArray()) {
            throw new InvalidRequest("Invalid type for '" + path + "': expected a string or an array.", path);
        }
        List<ContentPart> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String p = path + "[" + i + "]";
            String type = part.isObject() ? Json.text(part, "type") : null;
            if (type == null) {
                throw new InvalidRequest("Missing required parameter: '" + p + ".type'.", p + ".type");
            }
            switch (type) {
                case "text" -> parts.add(new ContentPart.Text(requiredString(part, "text", p + ".text")));
                case "image_url" -> {
                    JsonNode image = part.get("image_url");
                    String url = image == null ? null : image.isTextual() ? image.asText() : Json.text(image, "url");
                    if (url == null) {
                        throw new InvalidRequest(
                                "Missing required parameter: '" + p + ".image_url.url'.", p + ".image_url.url");
                    }
                    parts.add(ContentPart.Image.fromDataUrlOrUrl(url));
                }
                default -> parts.add(new ContentPart.Unknown(type, part));
            }
        }
        return parts;
    }

    private static List<ContentPart> assistantParts(JsonNode m, String path) {
        List<ContentPart> parts = new ArrayList<>();
        String reasoning = optionalString(m, "reasoning_content", path + ".reasoning_content");
        if (reasoning == null) {
            reasoning = optionalString(m, "reasoning", path + ".reasoning");
        }
        if (reasoning != null && !reasoning.isEmpty()) {
            parts.add(new ContentPart.Reasoning(reasoning, null));
        }
        JsonNode content = m.get("content");
        if (content != null && !content.isNull()) {
            parts.addAll(textParts(content, path + ".content", true));
        }
        JsonNode calls = m.get("tool_calls");
        if (calls != null && !calls.isNull()) {
            if (!calls.isArray()) {
                throw new InvalidRequest(
                        "Invalid type for '" + path + ".tool_calls': expected an array.", path + ".tool_calls");
            }
            for (int i = 0; i < calls.size(); i++) {
                JsonNode call = calls.get(i);
                String p = path + ".tool_calls[" + i + "]";
                JsonNode fn = call.get("function");
                if (!call.isObject() || fn == null || !fn.isObject()) {
                    throw new InvalidRequest("Missing required parameter: '" + p + ".function'.", p + ".function");
                }
                String id = optionalString(call, "id", p + ".id");
                String fnName = requiredString(fn, "name", p + ".function.name");
                JsonNode args = fn.get("arguments");
                String arguments =
                        args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : args.toString();
                parts.add(new ContentPart.ToolCall(id == null ? "call_" + i : id, fnName, arguments));
            }
        }
        return parts;
    }

    /** Text-only content: a string or an array of text parts (system, tool, assistant). */
    private static List<ContentPart> textParts(@Nullable JsonNode content, String path, boolean allowEmpty) {
        if (content == null || content.isNull()) {
            if (allowEmpty) {
                return List.of();
            }
            throw new InvalidRequest("Missing required parameter: '" + path + "'.", path);
        }
        if (content.isTextual()) {
            return List.of(new ContentPart.Text(content.asText()));
        }
        if (!content.isArray()) {
            throw new InvalidRequest("Invalid type for '" + path + "': expected a string or an array.", path);
        }
        List<ContentPart> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String p = path + "[" + i + "]";
            if (part.isTextual()) {
                parts.add(new ContentPart.Text(part.asText()));
                continue;
            }
            String type = part.isObject() ? Json.text(part, "type") : null;
            if ("text".equals(type)) {
                parts.add(new ContentPart.Text(requiredString(part, "text", p + ".text")));
            } else if (type != null) {
                parts.add(new ContentPart.Unknown(type, part));
            } else {
                throw new InvalidRequest("Missing required parameter: '" + p + ".type'.", p + ".type");
            }
        }
        return parts;
    }

    private static String joinText(List<ContentPart> parts) {
        StringBuilder out = new StringBuilder();
        for (ContentPart p : parts) {
            if (p instanceof ContentPart.Text t) {
                out.append(t.text());
            }
        }
        return out.toString();
    }

    private static List<ToolSpec> tools(@Nullable JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw new InvalidRequest("Invalid type for 'tools': expected an array.", "tools");
        }
        List<ToolSpec> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String p = "tools[" + i + "]";
            if (!tool.isObject()) {
                throw new InvalidRequest("Invalid type for '" + p + "': expected an object.", p);
            }
            String type = Json.text(tool, "type");
            if (type != null && !"function".equals(type)) {
                continue; // built-in tool types pass through untouched on the passthrough path
            }
            JsonNode fn = tool.get("function");
            if (fn == null || !fn.isObject()) {
                throw new InvalidRequest("Missing required parameter: '" + p + ".function'.", p + ".function");
            }
            String name = requiredString(fn, "name", p + ".function.name");
            JsonNode parameters = fn.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw new InvalidRequest(
                        "Invalid type for '" + p + ".function.parameters': expected an object.",
                        p + ".function.parameters");
            }
            out.add(new ToolSpec(
                    name,
                    optionalString(fn, "description", p + ".function.description"),
                    parameters == null || parameters.isNull() ? emptySchema() : parameters));
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
        ToolChoice keyword = OpenAiFields.toolChoiceKeyword(choice);
        if (keyword != null) {
            return keyword;
        }
        JsonNode fn = choice.get("function");
        String name = fn != null && fn.isObject() ? Json.text(fn, "name") : null;
        if (name == null) {
            throw new InvalidRequest(
                    "Missing required parameter: 'tool_choice.function.name'.", "tool_choice.function.name");
        }
        return new ToolChoice.Named(name);
    }

    private static GenerationParams params(JsonNode body) {
        Integer maxTokens = optionalInt(body, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = optionalInt(body, "max_tokens");
        }
        if (maxTokens != null && maxTokens <= 0) {
            // Kilo Code sends 0 to mean "no limit"; an upstream would reject it.
            maxTokens = null;
        }
        List<String> stop = new ArrayList<>();
        JsonNode stopNode = body.get("stop");
        if (stopNode != null && !stopNode.isNull()) {
            if (stopNode.isTextual()) {
                stop.add(stopNode.asText());
            } else if (stopNode.isArray()) {
                for (JsonNode s : stopNode) {
                    if (!s.isTextual()) {
                        throw new InvalidRequest("Invalid type for 'stop': expected strings.", "stop");
                    }
                    stop.add(s.asText());
                }
            } else {
                throw new InvalidRequest("Invalid type for 'stop': expected a string or an array.", "stop");
            }
        }
        Double temperature = optionalNumber(body, "temperature");
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw new InvalidRequest("Invalid 'temperature': must be between 0 and 2.", "temperature");
        }
        Double topP = optionalNumber(body, "top_p");
        if (topP != null && (topP < 0 || topP > 1)) {
            throw new InvalidRequest("Invalid 'top_p': must be between 0 and 1.", "top_p");
        }
        Long seed = body.has("seed") && !body.get("seed").isNull() ? optionalLong(body, "seed") : null;
        optionalInt(body, "n");
        return new GenerationParams(
                maxTokens,
                temperature,
                topP,
                optionalInt(body, "top_k"),
                stop,
                seed,
                optionalNumber(body, "frequency_penalty"),
                optionalNumber(body, "presence_penalty"),
                optionalNumber(body, "repeat_penalty"));
    }

    private static @Nullable ResponseFormat responseFormat(@Nullable JsonNode format) {
        if (format == null || format.isNull()) {
            return null;
        }
        String type = format.isObject() ? Json.text(format, "type") : null;
        if (type == null) {
            throw new InvalidRequest("Missing required parameter: 'response_format.type'.", "response_format.type");
        }
        return switch (type) {
            case "text" -> new ResponseFormat.Text();
            case "json_object" -> new ResponseFormat.JsonObject();
            case "json_schema" -> {
                JsonNode js = format.get("json_schema");
                if (js == null || !js.isObject()) {
                    throw new InvalidRequest(
                            "Missing required parameter: 'response_format.json_schema'.",
                            "response_format.json_schema");
                }
                JsonNode schema = js.get("schema");
                JsonNode strict = js.get("strict");
                String name = Json.text(js, "name");
                yield new ResponseFormat.JsonSchema(
                        name == null ? "response" : name,
                        schema == null ? Json.object() : schema,
                        strict != null && strict.isBoolean() ? strict.asBoolean() : null);
            }
            default ->
                throw new InvalidRequest(
                        "Invalid value for 'response_format.type': '" + type
                                + "'. Supported values are: 'text', 'json_object' and 'json_schema'.",
                        "response_format.type");
        };
    }

    private static @Nullable ReasoningConfig reasoning(JsonNode body) {
        String effort = optionalString(body, "reasoning_effort");
        JsonNode reasoning = body.get("reasoning");
        if (effort == null && reasoning != null && reasoning.isObject()) {
            effort = Json.text(reasoning, "effort");
        }
        if (effort == null) {
            return null;
        }
        if ("minimal".equals(effort)) {
            effort = "low";
        }
        return new ReasoningConfig(!"none".equals(effort), effort, null);
    }

    static boolean bool(JsonNode body, String field, boolean fallback) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new InvalidRequest("Invalid type for '" + field + "': expected a boolean.", field);
        }
        return v.asBoolean();
    }

    /** {@code path} names the field in the error, e.g. {@code messages[2].name} for a field inside a message. */
    private static String requiredString(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidRequest("Missing required parameter: '" + path + "'.", path);
        }
        if (!v.isTextual()) {
            throw new InvalidRequest("Invalid type for '" + path + "': expected a string.", path);
        }
        return v.asText();
    }

    private static @Nullable Long optionalLong(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidRequest("Invalid type for '" + field + "': expected an integer.", field);
        }
        return v.asLong();
    }
}
