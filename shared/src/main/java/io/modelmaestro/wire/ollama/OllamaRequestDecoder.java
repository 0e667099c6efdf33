package io.modelmaestro.wire.ollama;

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
import io.modelmaestro.core.model.ToolSpec;
import io.modelmaestro.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Ollama {@code /api/chat} and {@code /api/generate} request bodies → canonical {@link ChatRequest}. It is also the
 * validator of the Ollama surface: a type error is a 400 naming the field before any node is called, whichever node
 * type the request then goes to.
 *
 * <p>Ollama-only parameters ({@code keep_alive}, {@code options.num_ctx} and the other runner options, {@code raw},
 * {@code template}, {@code context}, {@code suffix}) have no canonical field: they reach Ollama nodes on the
 * passthrough path and are dropped for every other node type (docs/providers/ollama.md).
 */
public final class OllamaRequestDecoder {

    private OllamaRequestDecoder() {}

    /** {@code model}, required and non-blank. Older clients send {@code name}; it is accepted the same way. */
    public static String requiredModel(JsonNode body) {
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            model = body.get("name");
        }
        if (model == null || model.isNull()) {
            throw new InvalidRequest("model is required", "model");
        }
        if (!model.isTextual()) {
            throw new InvalidRequest("invalid type for 'model': expected a string", "model");
        }
        String name = model.asText().strip();
        if (name.isEmpty()) {
            throw new InvalidRequest("model is required", "model");
        }
        if (name.length() > 255) {
            throw new InvalidRequest("'model' is too long (255 characters at most)", "model");
        }
        return name;
    }

    /** Ollama streams unless the client says {@code "stream": false}. */
    public static boolean stream(JsonNode body) {
        JsonNode v = body.get("stream");
        if (v == null || v.isNull()) {
            return true;
        }
        if (!v.isBoolean()) {
            throw new InvalidRequest("invalid type for 'stream': expected a boolean", "stream");
        }
        return v.asBoolean();
    }

    public static ChatRequest decodeChat(ObjectNode body) {
        String model = requiredModel(body);
        JsonNode messagesNode = body.get("messages");
        List<ContentPart> system = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        if (messagesNode != null && !messagesNode.isNull()) {
            if (!messagesNode.isArray()) {
                throw new InvalidRequest("invalid type for 'messages': expected an array", "messages");
            }
            ToolCallIds ids = new ToolCallIds();
            for (int i = 0; i < messagesNode.size(); i++) {
                decodeMessage(messagesNode.get(i), i, system, messages, ids);
            }
        }
        return new ChatRequest(
                model,
                system,
                messages,
                tools(body.get("tools")),
                null,
                params(body),
                format(body.get("format")),
                think(body.get("think")),
                stream(body),
                null);
    }

    /**
     * {@code /api/generate}: {@code system} becomes the system prompt and {@code prompt} (with {@code images}) the one
     * user turn. An empty prompt yields no message at all: Ollama's "load the model" request.
     */
    public static ChatRequest decodeGenerate(ObjectNode body) {
        String model = requiredModel(body);
        String prompt = optionalString(body, "prompt", "prompt");
        String systemText = optionalString(body, "system", "system");
        optionalString(body, "suffix", "suffix");
        optionalString(body, "template", "template");
        bool(body, "raw");
        List<ContentPart> system = new ArrayList<>();
        if (systemText != null && !systemText.isEmpty()) {
            system.add(new ContentPart.Text(systemText));
        }
        List<ContentPart> user = new ArrayList<>();
        if (prompt != null && !prompt.isEmpty()) {
            user.add(new ContentPart.Text(prompt));
        }
        user.addAll(images(body.get("images"), "images"));
        List<Message> messages = user.isEmpty() ? List.of() : List.of(new Message(Role.USER, user, null));
        return new ChatRequest(
                model,
                system,
                messages,
                List.of(),
                null,
                params(body),
                format(body.get("format")),
                think(body.get("think")),
                stream(body),
                null);
    }

    /** Whether the client turned thinking off explicitly ({@code "think": false}); then none is sent back. */
    public static boolean thinkingDisabled(JsonNode body) {
        JsonNode think = body.get("think");
        return think != null && think.isBoolean() && !think.asBoolean();
    }

    private static void decodeMessage(
            JsonNode m, int index, List<ContentPart> system, List<Message> out, ToolCallIds ids) {
        String path = "messages[" + index + "]";
        if (!m.isObject()) {
            throw new InvalidRequest("invalid type for '" + path + "': expected an object", path);
        }
        JsonNode roleNode = m.get("role");
        if (roleNode == null || !roleNode.isTextual()) {
            throw new InvalidRequest("'" + path + ".role' is required", path + ".role");
        }
        String role = roleNode.asText();
        String content = optionalString(m, "content", path + ".content");
        String text = content == null ? "" : content;
        List<ContentPart> images = images(m.get("images"), path + ".images");
        switch (role) {
            case "system", "developer" -> {
                if (out.isEmpty()) {
                    system.add(new ContentPart.Text(text));
                } else {
                    out.add(Message.text(Role.SYSTEM, text));
                }
            }
            case "user" -> {
                List<ContentPart> parts = new ArrayList<>();
                if (!text.isEmpty() || images.isEmpty()) {
                    parts.add(new ContentPart.Text(text));
                }
                parts.addAll(images);
                out.add(new Message(Role.USER, parts, null));
            }
            case "assistant" -> {
                List<ContentPart> parts = new ArrayList<>();
                String thinking = optionalString(m, "thinking", path + ".thinking");
                if (thinking != null && !thinking.isEmpty()) {
                    parts.add(new ContentPart.Reasoning(thinking, null));
                }
                if (!text.isEmpty()) {
                    parts.add(new ContentPart.Text(text));
                }
                parts.addAll(toolCalls(m.get("tool_calls"), index, path, ids));
                out.add(new Message(Role.ASSISTANT, parts, null));
            }
            case "tool" -> {
                String callId = optionalString(m, "tool_call_id", path + ".tool_call_id");
                String toolName = optionalString(m, "tool_name", path + ".tool_name");
                String id = ids.answer(callId, toolName, index);
                out.add(new Message(Role.TOOL, List.of(new ContentPart.ToolResult(id, text, false)), null));
            }
            default ->
                throw new InvalidRequest(
                        "invalid value for '" + path + ".role': '" + role
                                + "'; supported values are 'system', 'user', 'assistant' and 'tool'",
                        path + ".role");
        }
    }

    private static List<ContentPart> toolCalls(@Nullable JsonNode calls, int index, String path, ToolCallIds ids) {
        if (calls == null || calls.isNull()) {
            return List.of();
        }
        if (!calls.isArray()) {
            throw new InvalidRequest(
                    "invalid type for '" + path + ".tool_calls': expected an array", path + ".tool_calls");
        }
        List<ContentPart> out = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            String p = path + ".tool_calls[" + i + "]";
            JsonNode fn = call.isObject() ? call.get("function") : null;
            if (fn == null || !fn.isObject()) {
                throw new InvalidRequest("'" + p + ".function' is required", p + ".function");
            }
            String name = optionalString(fn, "name", p + ".function.name");
            if (name == null || name.isEmpty()) {
                throw new InvalidRequest("'" + p + ".function.name' is required", p + ".function.name");
            }
            JsonNode args = fn.get("arguments");
            String arguments;
            if (args == null || args.isNull()) {
                arguments = "{}";
            } else if (args.isObject()) {
                arguments = Json.writeString(args);
            } else if (args.isTextual()) {
                // Not Ollama's shape, but OpenAI-minded clients send the JSON text; keep it.
                arguments = args.asText();
            } else {
                throw new InvalidRequest(
                        "invalid type for '" + p + ".function.arguments': expected an object",
                        p + ".function.arguments");
            }
            String given = optionalString(call, "id", p + ".id");
            String id = given == null || given.isEmpty() ? "call_" + index + "_" + i : given;
            ids.called(id, name);
            out.add(new ContentPart.ToolCall(id, name, arguments));
        }
        return out;
    }

    /** Base64 images (Ollama sends bare base64; a data URL is accepted too). */
    static List<ContentPart> images(@Nullable JsonNode images, String path) {
        if (images == null || images.isNull()) {
            return List.of();
        }
        if (!images.isArray()) {
            throw new InvalidRequest("invalid type for '" + path + "': expected an array of base64 strings", path);
        }
        List<ContentPart> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            JsonNode image = images.get(i);
            if (!image.isTextual() || image.asText().isBlank()) {
                throw new InvalidRequest(
                        "invalid type for '" + path + "[" + i + "]': expected a base64 string", path + "[" + i + "]");
            }
            String value = image.asText().strip();
            if (value.startsWith("data:")) {
                out.add(ContentPart.Image.fromDataUrlOrUrl(value));
            } else {
                out.add(new ContentPart.Image(OllamaImages.mediaType(value), value, null));
            }
        }
        return out;
    }

    private static List<ToolSpec> tools(@Nullable JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw new InvalidRequest("invalid type for 'tools': expected an array", "tools");
        }
        List<ToolSpec> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String p = "tools[" + i + "]";
            if (!tool.isObject()) {
                throw new InvalidRequest("invalid type for '" + p + "': expected an object", p);
            }
            String type = optionalString(tool, "type", p + ".type");
            if (type != null && !type.equals("function")) {
                throw new InvalidRequest("invalid value for '" + p + ".type': only 'function' is supported", p);
            }
            JsonNode fn = tool.get("function");
            if (fn == null || !fn.isObject()) {
                throw new InvalidRequest("'" + p + ".function' is required", p + ".function");
            }
            String name = optionalString(fn, "name", p + ".function.name");
            if (name == null || name.isEmpty()) {
                throw new InvalidRequest("'" + p + ".function.name' is required", p + ".function.name");
            }
            JsonNode parameters = fn.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw new InvalidRequest(
                        "invalid type for '" + p + ".function.parameters': expected an object",
                        p + ".function.parameters");
            }
            out.add(new ToolSpec(
                    name,
                    optionalString(fn, "description", p + ".function.description"),
                    schema(parameters instanceof ObjectNode o ? o : null)));
        }
        return out;
    }

    /** A JSON Schema for the parameters: Ollama clients often leave out {@code "type": "object"}; add it. */
    private static JsonNode schema(@Nullable ObjectNode parameters) {
        ObjectNode schema = parameters == null ? Json.object() : parameters.deepCopy();
        if (!schema.has("type")) {
            schema.put("type", "object");
        }
        if (!schema.has("properties")) {
            schema.set("properties", Json.object());
        }
        return schema;
    }

    /** The runner {@code options} that have a canonical meaning; the others are Ollama-only and ignored here. */
    private static GenerationParams params(JsonNode body) {
        JsonNode options = body.get("options");
        if (options == null || options.isNull()) {
            return GenerationParams.none();
        }
        if (!options.isObject()) {
            throw new InvalidRequest("invalid type for 'options': expected an object", "options");
        }
        Integer numPredict = optionalInt(options, "num_predict");
        if (numPredict != null && numPredict <= 0) {
            // -1 is "no limit" and -2 "fill the context": the absence of a limit elsewhere.
            numPredict = null;
        }
        List<String> stop = new ArrayList<>();
        JsonNode stopNode = options.get("stop");
        if (stopNode != null && !stopNode.isNull()) {
            if (stopNode.isTextual()) {
                stop.add(stopNode.asText());
            } else if (stopNode.isArray()) {
                for (JsonNode s : stopNode) {
                    if (!s.isTextual()) {
                        throw new InvalidRequest(
                                "invalid type for 'options.stop': expected an array of strings", "options.stop");
                    }
                    stop.add(s.asText());
                }
            } else {
                throw new InvalidRequest(
                        "invalid type for 'options.stop': expected an array of strings", "options.stop");
            }
        }
        Long seed = optionalLong(options, "seed");
        return new GenerationParams(
                numPredict,
                optionalNumber(options, "temperature"),
                optionalNumber(options, "top_p"),
                optionalInt(options, "top_k"),
                stop,
                seed,
                optionalNumber(options, "frequency_penalty"),
                optionalNumber(options, "presence_penalty"),
                optionalNumber(options, "repeat_penalty"));
    }

    /** {@code format}: {@code "json"}, or a JSON schema object. */
    private static @Nullable ResponseFormat format(@Nullable JsonNode format) {
        if (format == null || format.isNull()) {
            return null;
        }
        if (format.isTextual()) {
            return switch (format.asText()) {
                case "" -> null;
                case "json" -> new ResponseFormat.JsonObject();
                default ->
                    throw new InvalidRequest(
                            "invalid value for 'format': expected \"json\" or a JSON schema object", "format");
            };
        }
        if (format.isObject()) {
            return new ResponseFormat.JsonSchema("response", format, null);
        }
        throw new InvalidRequest("invalid type for 'format': expected \"json\" or a JSON schema object", "format");
    }

    /** {@code think}: true/false, or a level ({@code "low"}, {@code "medium"}, {@code "high"}). */
    private static @Nullable ReasoningConfig think(@Nullable JsonNode think) {
        if (think == null || think.isNull()) {
            return null;
        }
        if (think.isBoolean()) {
            return new ReasoningConfig(think.asBoolean(), null, null);
        }
        if (think.isTextual()) {
            String level = think.asText();
            return switch (level) {
                case "low", "medium", "high" -> new ReasoningConfig(true, level, null);
                case "true" -> new ReasoningConfig(true, null, null);
                case "false" -> new ReasoningConfig(false, null, null);
                default ->
                    throw new InvalidRequest(
                            "invalid value for 'think': expected true, false, \"low\", \"medium\" or \"high\"",
                            "think");
            };
        }
        throw new InvalidRequest("invalid type for 'think': expected a boolean or a level", "think");
    }

    static @Nullable String optionalString(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidRequest("invalid type for '" + path + "': expected a string", path);
        }
        return v.asText();
    }

    private static void bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v != null && !v.isNull() && !v.isBoolean()) {
            throw new InvalidRequest("invalid type for '" + field + "': expected a boolean", field);
        }
    }

    private static @Nullable Integer optionalInt(JsonNode options, String field) {
        JsonNode v = options.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidRequest(
                    "invalid type for 'options." + field + "': expected an integer", "options." + field);
        }
        return v.asInt();
    }

    private static @Nullable Long optionalLong(JsonNode options, String field) {
        JsonNode v = options.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidRequest(
                    "invalid type for 'options." + field + "': expected an integer", "options." + field);
        }
        return v.asLong();
    }

    private static @Nullable Double optionalNumber(JsonNode options, String field) {
        JsonNode v = options.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new InvalidRequest("invalid type for 'options." + field + "': expected a number", "options." + field);
        }
        return v.asDouble();
    }

    /**
     * Ollama tool calls have no ids and tool results name the tool at most, while OpenAI-style upstreams pair a
     * result with its call by id. Calls get {@code call_<message>_<i>} when they have none; a result takes, in order:
     * its {@code tool_call_id}, else the first unanswered call of its {@code tool_name}, else the first unanswered
     * call, else a fresh id.
     */
    private static final class ToolCallIds {
        private final List<String[]> pending = new ArrayList<>();

        void called(String id, String name) {
            pending.add(new String[] {id, name});
        }

        String answer(@Nullable String callId, @Nullable String toolName, int index) {
            if (callId != null && !callId.isEmpty()) {
                pending.removeIf(p -> p[0].equals(callId));
                return callId;
            }
            for (Iterator<String[]> it = pending.iterator(); it.hasNext(); ) {
                String[] p = it.next();
                if (toolName == null || toolName.isEmpty() || p[1].equals(toolName)) {
                    it.remove();
                    return p[0];
                }
            }
            return "call_result_" + index;
        }
    }
}
