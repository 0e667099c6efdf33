package io.modelmaestro.wire.gemini;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Gemini {@code GenerateContentRequest} → canonical {@link ChatRequest}. It is also the validator of the Gemini
 * surface: a wrong type is a 400 naming the field ({@code contents[0].parts[1].text}) before any upstream is called.
 * Field names are read in the camelCase the SDKs send and in the snake_case the REST API also accepts.
 *
 * <p>What has no canonical form is dropped by rule (docs/gemini.md): {@code safetySettings}, {@code cachedContent},
 * {@code labels}, tools other than {@code functionDeclarations} (Google Search, code execution, URL context: the
 * gateway cannot run them), and the parts {@code executableCode}, {@code codeExecutionResult} and {@code
 * videoMetadata}. {@code inlineData} must be an image; {@code fileData} must be an {@code http(s)} image URL.
 *
 * <p>Function calls without an {@code id} (the Gemini API's own calls have none) get a stable one derived from the
 * name and their position in the conversation ({@code call_<name>_<n>}), and a {@code functionResponse} without an
 * {@code id} answers the oldest unanswered call of the same name, so the same history always decodes to the same ids.
 */
public final class GeminiRequestDecoder {

    /** Google allows at most five stop sequences. */
    static final int MAX_STOP_SEQUENCES = 5;

    private GeminiRequestDecoder() {}

    /** A {@code generateContent} / {@code streamGenerateContent} body for {@code model} (from the URL). */
    public static GeminiRequest decode(JsonNode body, String model, boolean stream) {
        return decode(body, model, stream, true);
    }

    /**
     * A {@code countTokens} body: {@code {"contents": [...]}} or {@code {"generateContentRequest": {...}}}. Contents
     * may be empty there.
     */
    public static GeminiRequest decodeForCount(JsonNode body, String model) {
        JsonNode wrapped = field(body, "generateContentRequest");
        if (wrapped != null && !wrapped.isNull()) {
            if (!wrapped.isObject()) {
                throw new InvalidRequest("generateContentRequest must be an object", "generateContentRequest");
            }
            return decode(wrapped, model, false, false);
        }
        return decode(body, model, false, false);
    }

    private static GeminiRequest decode(JsonNode body, String model, boolean stream, boolean requireContents) {
        if (model.isBlank()) {
            throw new InvalidRequest("model is not specified", "model");
        }
        JsonNode contents = field(body, "contents");
        List<Message> messages = new ArrayList<>();
        if (contents == null || contents.isNull() || (contents.isArray() && contents.isEmpty())) {
            if (requireContents) {
                throw new InvalidRequest("* GenerateContentRequest.contents: contents is not specified", "contents");
            }
        } else if (!contents.isArray()) {
            throw new InvalidRequest("contents must be a list of Content objects", "contents");
        } else {
            CallIds ids = new CallIds();
            for (int i = 0; i < contents.size(); i++) {
                decodeContent(contents.get(i), "contents[" + i + "]", ids, messages);
            }
        }
        JsonNode config = field(body, "generationConfig");
        if (config != null && !config.isNull() && !config.isObject()) {
            throw new InvalidRequest("generationConfig must be an object", "generationConfig");
        }
        JsonNode safety = field(body, "safetySettings");
        if (safety != null && !safety.isNull() && !safety.isArray()) {
            throw new InvalidRequest("safetySettings must be a list", "safetySettings");
        }
        JsonNode cfg = config != null && config.isObject() ? config : null;
        JsonNode thinking = cfg != null ? field(cfg, "thinkingConfig") : null;
        if (thinking != null && !thinking.isNull() && !thinking.isObject()) {
            throw new InvalidRequest(
                    "generationConfig.thinkingConfig must be an object", "generationConfig.thinkingConfig");
        }
        boolean includeThoughts = thinking != null
                && thinking.isObject()
                && bool(thinking, "includeThoughts", "generationConfig.thinkingConfig.includeThoughts");
        ToolSelection tools = tools(field(body, "tools"), field(body, "toolConfig"));
        ChatRequest chat = new ChatRequest(
                model,
                systemInstruction(field(body, "systemInstruction")),
                messages,
                tools.tools(),
                tools.choice(),
                cfg != null ? params(cfg) : GenerationParams.none(),
                cfg != null ? responseFormat(cfg) : null,
                thinking != null && thinking.isObject() ? reasoning(thinking, includeThoughts) : null,
                stream,
                null);
        return new GeminiRequest(chat, includeThoughts);
    }

    /** Ids of the function calls met so far, per name, that no response has answered yet. */
    private static final class CallIds {
        private final Map<String, Deque<String>> pending = new HashMap<>();
        private final Set<String> used = new HashSet<>();
        private int synthesised;

        String call(@Nullable String id, String name) {
            String out = id != null && !id.isBlank() ? id : fresh(name);
            used.add(out);
            pending.computeIfAbsent(name, n -> new ArrayDeque<>()).addLast(out);
            return out;
        }

        String response(@Nullable String id, String name) {
            Deque<String> queue = pending.get(name);
            if (id != null && !id.isBlank()) {
                if (queue != null) {
                    queue.remove(id);
                }
                return id;
            }
            if (queue != null && !queue.isEmpty()) {
                return queue.removeFirst();
            }
            return fresh(name);
        }

        private String fresh(String name) {
            String base = "call_" + name.replaceAll("[^A-Za-z0-9_-]", "_") + "_";
            String candidate;
            do {
                candidate = base + synthesised++;
            } while (used.contains(candidate));
            used.add(candidate);
            return candidate;
        }
    }

    private static void decodeContent(JsonNode content, String path, CallIds ids, List<Message> out) {
        if (!content.isObject()) {
            throw new InvalidRequest(path + " must be a Content object", path);
        }
        String role = optionalString(content, "role", path);
        boolean model;
        if (role == null || role.isEmpty() || role.equals("user") || role.equals("function")) {
            model = false;
        } else if (role.equals("model")) {
            model = true;
        } else {
            throw new InvalidRequest(
                    path + ".role: Please use a valid role: user, model. Got '" + role + "'", path + ".role");
        }
        JsonNode parts = field(content, "parts");
        if (parts == null || parts.isNull() || (parts.isArray() && parts.isEmpty())) {
            throw new InvalidRequest(path + ".parts must not be empty", path + ".parts");
        }
        if (!parts.isArray()) {
            throw new InvalidRequest(path + ".parts must be a list of Part objects", path + ".parts");
        }
        List<ContentPart> results = new ArrayList<>();
        List<ContentPart> regular = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            decodePart(parts.get(i), path + ".parts[" + i + "]", model, ids, results, regular);
        }
        if (model) {
            if (!regular.isEmpty()) {
                out.add(new Message(Role.ASSISTANT, regular, null));
            }
            return;
        }
        if (!results.isEmpty()) {
            out.add(new Message(Role.TOOL, results, null));
        }
        if (!regular.isEmpty()) {
            out.add(new Message(Role.USER, regular, null));
        }
    }

    private static void decodePart(
            JsonNode part, String path, boolean model, CallIds ids, List<ContentPart> results, List<ContentPart> out) {
        if (!part.isObject()) {
            throw new InvalidRequest(path + " must be a Part object", path);
        }
        boolean thought = bool(part, "thought", path + ".thought");
        String signature = optionalString(part, "thoughtSignature", path);
        JsonNode text = field(part, "text");
        if (text != null && !text.isNull()) {
            if (!text.isTextual()) {
                throw new InvalidRequest(path + ".text must be a string", path + ".text");
            }
            if (thought) {
                if (model) {
                    out.add(new ContentPart.Reasoning(text.asText(), signature));
                }
            } else {
                out.add(new ContentPart.Text(text.asText()));
            }
            return;
        }
        JsonNode inline = field(part, "inlineData");
        if (inline != null && !inline.isNull()) {
            out.add(inlineData(inline, path + ".inlineData"));
            return;
        }
        JsonNode file = field(part, "fileData");
        if (file != null && !file.isNull()) {
            out.add(fileData(file, path + ".fileData"));
            return;
        }
        JsonNode call = field(part, "functionCall");
        if (call != null && !call.isNull()) {
            String p = path + ".functionCall";
            if (!call.isObject()) {
                throw new InvalidRequest(p + " must be an object", p);
            }
            String name = requiredString(call, "name", p);
            JsonNode args = field(call, "args");
            if (args != null && !args.isNull() && !args.isObject()) {
                throw new InvalidRequest(p + ".args must be an object", p + ".args");
            }
            String id = ids.call(optionalString(call, "id", p), name);
            out.add(new ContentPart.ToolCall(id, name, args == null || args.isNull() ? "{}" : Json.writeString(args)));
            return;
        }
        JsonNode response = field(part, "functionResponse");
        if (response != null && !response.isNull()) {
            String p = path + ".functionResponse";
            if (!response.isObject()) {
                throw new InvalidRequest(p + " must be an object", p);
            }
            String name = requiredString(response, "name", p);
            JsonNode value = field(response, "response");
            if (value != null && !value.isNull() && !value.isObject()) {
                throw new InvalidRequest(p + ".response must be an object", p + ".response");
            }
            String id = ids.response(optionalString(response, "id", p), name);
            results.add(toolResult(id, value));
            return;
        }
        if (signature != null && model && thought) {
            out.add(new ContentPart.Reasoning("", signature));
        }
        // executableCode, codeExecutionResult, videoMetadata, a bare thoughtSignature: no canonical form (dropped).
    }

    /**
     * A function's response: {@code {"output": "..."}} (what Gemini CLI sends) or {@code {"error": "..."}} alone is
     * that text, the latter marked as an error; any other object is its JSON.
     */
    private static ContentPart.ToolResult toolResult(String id, @Nullable JsonNode value) {
        if (value == null || value.isNull() || value.isEmpty()) {
            return new ContentPart.ToolResult(id, "", false);
        }
        if (value.size() == 1) {
            JsonNode output = value.get("output");
            if (output != null && output.isTextual()) {
                return new ContentPart.ToolResult(id, output.asText(), false);
            }
            JsonNode error = value.get("error");
            if (error != null) {
                return new ContentPart.ToolResult(
                        id, error.isTextual() ? error.asText() : Json.writeString(error), true);
            }
        }
        return new ContentPart.ToolResult(id, Json.writeString(value), false);
    }

    private static ContentPart inlineData(JsonNode inline, String path) {
        if (!inline.isObject()) {
            throw new InvalidRequest(path + " must be an object", path);
        }
        String mime = optionalString(inline, "mimeType", path);
        String data = requiredString(inline, "data", path);
        String type = mime == null || mime.isBlank() ? "image/png" : mime.toLowerCase(Locale.ROOT);
        if (!type.startsWith("image/")) {
            throw new InvalidRequest(
                    path + ".mimeType: only images are supported by this gateway, got '" + type + "'",
                    path + ".mimeType");
        }
        return new ContentPart.Image(type, data, null);
    }

    private static ContentPart fileData(JsonNode file, String path) {
        if (!file.isObject()) {
            throw new InvalidRequest(path + " must be an object", path);
        }
        String uri = requiredString(file, "fileUri", path);
        String mime = optionalString(file, "mimeType", path);
        String lower = uri.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("https://") || lower.startsWith("http://"))
                || (mime != null && !mime.toLowerCase(Locale.ROOT).startsWith("image/"))) {
            throw new InvalidRequest(
                    path + ": only http(s) image URLs are supported by this gateway (no Files API)", path);
        }
        return new ContentPart.Image(mime, null, uri);
    }

    private static List<ContentPart> systemInstruction(@Nullable JsonNode system) {
        if (system == null || system.isNull()) {
            return List.of();
        }
        if (system.isTextual()) {
            return system.asText().isEmpty() ? List.of() : List.of(new ContentPart.Text(system.asText()));
        }
        if (!system.isObject()) {
            throw new InvalidRequest("systemInstruction must be a Content object", "systemInstruction");
        }
        JsonNode parts = field(system, "parts");
        if (parts == null || parts.isNull()) {
            return List.of();
        }
        if (!parts.isArray()) {
            throw new InvalidRequest("systemInstruction.parts must be a list", "systemInstruction.parts");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            JsonNode part = parts.get(i);
            String p = "systemInstruction.parts[" + i + "]";
            if (!part.isObject()) {
                throw new InvalidRequest(p + " must be a Part object", p);
            }
            String text = optionalString(part, "text", p);
            if (text == null) {
                throw new InvalidRequest(p + ": a system instruction may only hold text", p);
            }
            if (!text.isEmpty()) {
                texts.add(text);
            }
        }
        return texts.isEmpty() ? List.of() : List.of(new ContentPart.Text(String.join("\n\n", texts)));
    }

    private record ToolSelection(
            List<ToolSpec> tools, @Nullable ToolChoice choice) {}

    private static ToolSelection tools(@Nullable JsonNode tools, @Nullable JsonNode toolConfig) {
        List<ToolSpec> out = new ArrayList<>();
        if (tools != null && !tools.isNull()) {
            if (!tools.isArray()) {
                throw new InvalidRequest("tools must be a list of Tool objects", "tools");
            }
            for (int i = 0; i < tools.size(); i++) {
                JsonNode tool = tools.get(i);
                String p = "tools[" + i + "]";
                if (!tool.isObject()) {
                    throw new InvalidRequest(p + " must be a Tool object", p);
                }
                JsonNode declarations = field(tool, "functionDeclarations");
                if (declarations == null || declarations.isNull()) {
                    continue; // googleSearch, codeExecution, urlContext…: not something the gateway can run
                }
                if (!declarations.isArray()) {
                    throw new InvalidRequest(p + ".functionDeclarations must be a list", p + ".functionDeclarations");
                }
                for (int j = 0; j < declarations.size(); j++) {
                    out.add(declaration(declarations.get(j), p + ".functionDeclarations[" + j + "]"));
                }
            }
        }
        if (toolConfig == null || toolConfig.isNull()) {
            return new ToolSelection(out, null);
        }
        if (!toolConfig.isObject()) {
            throw new InvalidRequest("toolConfig must be an object", "toolConfig");
        }
        JsonNode calling = field(toolConfig, "functionCallingConfig");
        if (calling == null || calling.isNull()) {
            return new ToolSelection(out, null);
        }
        String p = "toolConfig.functionCallingConfig";
        if (!calling.isObject()) {
            throw new InvalidRequest(p + " must be an object", p);
        }
        String mode = optionalString(calling, "mode", p);
        List<String> allowed = stringList(field(calling, "allowedFunctionNames"), p + ".allowedFunctionNames");
        String m = mode == null ? "MODE_UNSPECIFIED" : mode.toUpperCase(Locale.ROOT);
        return switch (m) {
            case "MODE_UNSPECIFIED", "AUTO", "VALIDATED" -> {
                if (!allowed.isEmpty()) {
                    throw new InvalidRequest(
                            p + ".allowedFunctionNames may only be set when mode is ANY", p + ".allowedFunctionNames");
                }
                yield new ToolSelection(out, m.equals("MODE_UNSPECIFIED") ? null : new ToolChoice.Auto());
            }
            case "NONE" -> new ToolSelection(out, new ToolChoice.None());
            case "ANY" -> {
                if (allowed.isEmpty()) {
                    yield new ToolSelection(out, new ToolChoice.Required());
                }
                Set<String> known = new HashSet<>();
                out.forEach(t -> known.add(t.name()));
                for (String name : allowed) {
                    if (!known.contains(name)) {
                        throw new InvalidRequest(
                                p + ".allowedFunctionNames: '" + name + "' is not a declared function",
                                p + ".allowedFunctionNames");
                    }
                }
                if (allowed.size() == 1) {
                    yield new ToolSelection(out, new ToolChoice.Named(allowed.get(0)));
                }
                List<ToolSpec> subset =
                        out.stream().filter(t -> allowed.contains(t.name())).toList();
                yield new ToolSelection(subset, new ToolChoice.Required());
            }
            default ->
                throw new InvalidRequest(
                        p + ".mode: must be one of AUTO, ANY, NONE, VALIDATED, got '" + mode + "'", p + ".mode");
        };
    }

    private static ToolSpec declaration(JsonNode declaration, String path) {
        if (!declaration.isObject()) {
            throw new InvalidRequest(path + " must be a FunctionDeclaration object", path);
        }
        String name = requiredString(declaration, "name", path);
        if (name.isBlank()) {
            throw new InvalidRequest(path + ".name must not be empty", path + ".name");
        }
        JsonNode json = field(declaration, "parametersJsonSchema");
        JsonNode schema = field(declaration, "parameters");
        JsonNode parameters;
        if (json != null && !json.isNull()) {
            if (!json.isObject()) {
                throw new InvalidRequest(
                        path + ".parametersJsonSchema must be an object", path + ".parametersJsonSchema");
            }
            parameters = json;
        } else if (schema != null && !schema.isNull()) {
            if (!schema.isObject()) {
                throw new InvalidRequest(path + ".parameters must be a Schema object", path + ".parameters");
            }
            parameters = GeminiSchemas.toJsonSchema(schema);
        } else {
            parameters = GeminiSchemas.emptyObject();
        }
        return new ToolSpec(name, optionalString(declaration, "description", path), parameters);
    }

    private static GenerationParams params(JsonNode config) {
        String p = "generationConfig";
        Integer candidates = optionalInt(config, "candidateCount", p);
        if (candidates != null && candidates != 1) {
            throw new InvalidRequest(
                    p + ".candidateCount: only 1 candidate is supported by this gateway", p + ".candidateCount");
        }
        Double temperature = optionalNumber(config, "temperature", p);
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw new InvalidRequest(p + ".temperature must be between 0 and 2", p + ".temperature");
        }
        Double topP = optionalNumber(config, "topP", p);
        if (topP != null && (topP < 0 || topP > 1)) {
            throw new InvalidRequest(p + ".topP must be between 0 and 1", p + ".topP");
        }
        Integer topK = optionalInt(config, "topK", p);
        if (topK != null && topK < 1) {
            throw new InvalidRequest(p + ".topK must be at least 1", p + ".topK");
        }
        Integer maxTokens = optionalInt(config, "maxOutputTokens", p);
        if (maxTokens != null && maxTokens < 1) {
            throw new InvalidRequest(p + ".maxOutputTokens must be at least 1", p + ".maxOutputTokens");
        }
        List<String> stop = stringList(field(config, "stopSequences"), p + ".stopSequences");
        if (stop.size() > MAX_STOP_SEQUENCES) {
            throw new InvalidRequest(
                    p + ".stopSequences: at most " + MAX_STOP_SEQUENCES + " stop sequences are allowed",
                    p + ".stopSequences");
        }
        Integer seed = optionalInt(config, "seed", p);
        return new GenerationParams(
                maxTokens,
                temperature,
                topP,
                topK,
                stop,
                seed == null ? null : seed.longValue(),
                optionalNumber(config, "frequencyPenalty", p),
                optionalNumber(config, "presencePenalty", p),
                null);
    }

    /**
     * {@code responseMimeType} {@code application/json} with {@code responseJsonSchema} (JSON Schema, as is) or
     * {@code responseSchema} (Gemini's schema, normalised) → a JSON schema; without a schema → JSON mode; {@code
     * text/plain} or nothing → free text. Other types ({@code text/x.enum}) are refused.
     */
    private static @Nullable ResponseFormat responseFormat(JsonNode config) {
        String p = "generationConfig";
        String mime = optionalString(config, "responseMimeType", p);
        JsonNode jsonSchema = field(config, "responseJsonSchema");
        JsonNode schema = field(config, "responseSchema");
        if (jsonSchema != null && jsonSchema.isNull()) {
            jsonSchema = null;
        }
        if (schema != null && schema.isNull()) {
            schema = null;
        }
        boolean hasJsonSchema = jsonSchema != null;
        boolean hasSchema = schema != null;
        if (mime == null || mime.isEmpty() || mime.equalsIgnoreCase("text/plain")) {
            if (hasJsonSchema || hasSchema) {
                throw new InvalidRequest(
                        p + ".responseMimeType must be application/json when a response schema is set",
                        p + ".responseMimeType");
            }
            return null;
        }
        if (!mime.equalsIgnoreCase("application/json")) {
            throw new InvalidRequest(
                    p + ".responseMimeType: only text/plain and application/json are supported, got '" + mime + "'",
                    p + ".responseMimeType");
        }
        if (jsonSchema != null) {
            if (!jsonSchema.isObject()) {
                throw new InvalidRequest(p + ".responseJsonSchema must be an object", p + ".responseJsonSchema");
            }
            return new ResponseFormat.JsonSchema("response", jsonSchema, null);
        }
        if (schema != null) {
            if (!schema.isObject()) {
                throw new InvalidRequest(p + ".responseSchema must be a Schema object", p + ".responseSchema");
            }
            return new ResponseFormat.JsonSchema("response", GeminiSchemas.toJsonSchema(schema), null);
        }
        return new ResponseFormat.JsonObject();
    }

    /**
     * {@code thinkingConfig} → {@link ReasoningConfig}: {@code thinkingBudget} 0 is no reasoning, −1 reasoning at the
     * model's own budget, N a budget of N tokens; {@code thinkingLevel} LOW/HIGH is that effort; {@code
     * includeThoughts} alone asks for reasoning.
     */
    private static @Nullable ReasoningConfig reasoning(JsonNode thinking, boolean includeThoughts) {
        String p = "generationConfig.thinkingConfig";
        Integer budget = optionalInt(thinking, "thinkingBudget", p);
        String level = optionalString(thinking, "thinkingLevel", p);
        String effort = null;
        if (level != null) {
            effort = switch (level.toUpperCase(Locale.ROOT)) {
                case "MINIMAL", "LOW" -> "low";
                case "MEDIUM" -> "medium";
                case "HIGH" -> "high";
                case "THINKING_LEVEL_UNSPECIFIED", "" -> null;
                default ->
                    throw new InvalidRequest(
                            p + ".thinkingLevel must be one of LOW, MEDIUM, HIGH, got '" + level + "'",
                            p + ".thinkingLevel");
            };
        }
        if (budget != null) {
            if (budget == 0) {
                return null;
            }
            if (budget < -1) {
                throw new InvalidRequest(p + ".thinkingBudget must be -1, 0 or positive", p + ".thinkingBudget");
            }
            return new ReasoningConfig(true, effort, budget == -1 ? null : budget);
        }
        if (effort != null || includeThoughts) {
            return new ReasoningConfig(true, effort, null);
        }
        return null;
    }

    /** The field by its camelCase name, else by its snake_case name (the REST API accepts both). */
    static @Nullable JsonNode field(JsonNode node, String camel) {
        JsonNode v = node.get(camel);
        if (v != null) {
            return v;
        }
        StringBuilder snake = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                snake.append('_').append(Character.toLowerCase(c));
            } else {
                snake.append(c);
            }
        }
        return node.get(snake.toString());
    }

    private static List<String> stringList(@Nullable JsonNode list, String path) {
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new InvalidRequest(path + " must be a list of strings", path);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isTextual()) {
                throw new InvalidRequest(path + "[" + i + "] must be a string", path + "[" + i + "]");
            }
            out.add(list.get(i).asText());
        }
        return out;
    }

    private static boolean bool(JsonNode node, String name, String path) {
        JsonNode v = field(node, name);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new InvalidRequest(path + " must be a boolean", path);
        }
        return v.asBoolean();
    }

    private static String requiredString(JsonNode node, String name, String path) {
        String v = optionalString(node, name, path);
        if (v == null) {
            throw new InvalidRequest(path + "." + name + " is required", path + "." + name);
        }
        return v;
    }

    private static @Nullable String optionalString(JsonNode node, String name, String path) {
        JsonNode v = field(node, name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidRequest(path + "." + name + " must be a string", path + "." + name);
        }
        return v.asText();
    }

    private static @Nullable Integer optionalInt(JsonNode node, String name, String path) {
        JsonNode v = field(node, name);
        if (v == null || v.isNull()) {
            return null;
        }
        // proto int64/int32 may arrive as JSON strings
        if (v.isTextual()) {
            try {
                return Integer.parseInt(v.asText().strip());
            } catch (NumberFormatException e) {
                throw new InvalidRequest(path + "." + name + " must be an integer", path + "." + name);
            }
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidRequest(path + "." + name + " must be an integer", path + "." + name);
        }
        return v.asInt();
    }

    private static @Nullable Double optionalNumber(JsonNode node, String name, String path) {
        JsonNode v = field(node, name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new InvalidRequest(path + "." + name + " must be a number", path + "." + name);
        }
        return v.asDouble();
    }
}
