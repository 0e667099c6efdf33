package io.modelmaestro.wire.responses;

import static io.modelmaestro.wire.OpenAiFields.optionalInt;
import static io.modelmaestro.wire.OpenAiFields.optionalNumber;
import static io.modelmaestro.wire.OpenAiFields.optionalString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /v1/responses} body → {@link ResponsesRequest}. It is the validator of the Responses surface: every type
 * error is a 400 naming the parameter (OpenAI's {@code param} path, e.g. {@code input[2].call_id}) before any upstream
 * is involved. The mapping table is in docs/responses.md.
 *
 * <p>Decoding happens in two steps because of {@code previous_response_id}: {@link #previousResponseId} is read
 * first, the pipeline looks the earlier response up, and {@link #decode} gets the earlier items to put in front.
 */
public final class ResponsesRequestDecoder {

    /** Request fields the gateway cannot honour on a translated (non-Responses) upstream: refused, never ignored. */
    private static final Set<String> UNSUPPORTED = Set.of("background", "conversation", "prompt");

    private ResponsesRequestDecoder() {}

    /** The {@code previous_response_id} of a body, validated. */
    public static @Nullable String previousResponseId(ObjectNode body) {
        return optionalString(body, "previous_response_id");
    }

    /**
     * Decodes {@code body}; {@code history} holds the input and output items of the response named by {@code
     * previous_response_id} (empty without one).
     */
    public static ResponsesRequest decode(ObjectNode body, List<JsonNode> history) {
        String model = requiredModel(body);
        for (String field : UNSUPPORTED) {
            JsonNode v = body.get(field);
            if (v != null && !v.isNull() && !(v.isBoolean() && !v.asBoolean())) {
                throw new InvalidRequest("'" + field + "' is not supported by this gateway.", field);
            }
        }
        ArrayNode ownInput = input(body.get("input"));
        ArrayNode all = Json.array();
        history.forEach(all::add);
        all.addAll(ownInput);

        List<ContentPart> system = new ArrayList<>();
        String instructions = optionalString(body, "instructions");
        if (instructions != null && !instructions.isEmpty()) {
            system.add(new ContentPart.Text(instructions));
        }
        List<Message> messages = new Items(history.size()).decode(all, system);
        if (messages.isEmpty()) {
            throw new InvalidRequest("'input' must contain at least one item.", "input");
        }
        List<String> builtin = new ArrayList<>();
        List<ToolSpec> tools = tools(body.get("tools"), builtin);
        ObjectNode echo = Json.object();
        for (String field : List.of(
                "instructions",
                "max_output_tokens",
                "parallel_tool_calls",
                "reasoning",
                "temperature",
                "text",
                "tool_choice",
                "tools",
                "top_p",
                "truncation",
                "user",
                "metadata")) {
            JsonNode v = body.get(field);
            if (v != null && !v.isNull()) {
                echo.set(field, v.deepCopy());
            }
        }
        metadata(body.get("metadata"));
        optionalBool(body, "parallel_tool_calls");
        String truncation = optionalString(body, "truncation");
        if (truncation != null && !truncation.equals("auto") && !truncation.equals("disabled")) {
            throw new InvalidRequest("Invalid value for 'truncation': expected 'auto' or 'disabled'.", "truncation");
        }
        ChatRequest chat = new ChatRequest(
                model,
                system,
                messages,
                tools,
                toolChoice(body.get("tool_choice")),
                params(body),
                responseFormat(body.path("text")),
                reasoning(body.get("reasoning")),
                Boolean.TRUE.equals(optionalBool(body, "stream")),
                userOf(body));
        Boolean store = optionalBool(body, "store");
        return new ResponsesRequest(chat, all, store == null || store, previousResponseId(body), builtin, echo);
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

    /** The client's {@code input} as a list of items: a string is one user message. */
    private static ArrayNode input(@Nullable JsonNode input) {
        if (input == null || input.isNull()) {
            throw new InvalidRequest("Missing required parameter: 'input'.", "input");
        }
        if (input.isTextual()) {
            ArrayNode items = Json.array();
            ObjectNode message = items.addObject();
            message.put("type", "message");
            message.put("role", "user");
            message.put("content", input.asText());
            return items;
        }
        if (!input.isArray()) {
            throw new InvalidRequest("Invalid type for 'input': expected a string or an array.", "input");
        }
        return (ArrayNode) input.deepCopy();
    }

    /**
     * Turns items into canonical turns. Items of one assistant turn (reasoning, message, function calls) are merged
     * into one assistant message, as chat-style upstreams expect; each {@code function_call_output} is a tool turn.
     */
    private static final class Items {
        private final int historySize;
        private final List<Message> out = new ArrayList<>();
        private @Nullable List<ContentPart> assistant;

        Items(int historySize) {
            this.historySize = historySize;
        }

        List<Message> decode(ArrayNode items, List<ContentPart> system) {
            for (int i = 0; i < items.size(); i++) {
                // Errors name the client's own index; history items were validated when they were stored.
                String path = i < historySize ? "previous_response_id" : "input[" + (i - historySize) + "]";
                item(items.get(i), path, system);
            }
            flush();
            return out;
        }

        private void item(JsonNode item, String path, List<ContentPart> system) {
            if (!item.isObject()) {
                throw new InvalidRequest("Invalid type for '" + path + "': expected an object.", path);
            }
            String type = optionalString(item, "type", path + ".type");
            if (type == null) {
                type = item.has("role") ? "message" : null;
            }
            if (type == null) {
                throw new InvalidRequest("Missing required parameter: '" + path + ".type'.", path + ".type");
            }
            switch (type) {
                case "message" -> message(item, path, system);
                case "function_call" -> {
                    String callId = requiredString(item, "call_id", path + ".call_id");
                    String name = requiredString(item, "name", path + ".name");
                    String namespace = optionalString(item, "namespace", path + ".namespace");
                    if (namespace != null && !namespace.isEmpty()) {
                        name = namespace + NAMESPACE_SEPARATOR + name;
                    }
                    JsonNode args = item.get("arguments");
                    String arguments =
                            args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : args.toString();
                    assistant().add(new ContentPart.ToolCall(callId, name, arguments));
                }
                case "function_call_output" -> {
                    String callId = requiredString(item, "call_id", path + ".call_id");
                    flush();
                    List<ContentPart> parts = new ArrayList<>();
                    String text = toolOutput(item.get("output"), path + ".output", parts);
                    parts.add(0, new ContentPart.ToolResult(callId, text, false));
                    out.add(new Message(Role.TOOL, parts, null));
                }
                case "reasoning" -> {
                    String text = reasoningText(item, path);
                    String signature = optionalString(item, "encrypted_content", path + ".encrypted_content");
                    if (!text.isEmpty() || signature != null) {
                        assistant().add(new ContentPart.Reasoning(text, signature));
                    }
                }
                case "item_reference" ->
                    throw new InvalidRequest(
                            "'" + path + "': item references are not supported by this gateway; send the item "
                                    + "itself or use 'previous_response_id'.",
                            path + ".type");
                default ->
                    throw new InvalidRequest(
                            "Invalid value for '" + path + ".type': '" + type + "'. Supported item types are: "
                                    + "'message', 'function_call', 'function_call_output' and 'reasoning'.",
                            path + ".type");
            }
        }

        private void message(JsonNode item, String path, List<ContentPart> system) {
            String role = requiredString(item, "role", path + ".role");
            JsonNode content = item.get("content");
            String contentPath = path + ".content";
            switch (role) {
                case "system", "developer" -> system.addAll(parts(content, contentPath, false));
                case "user" -> {
                    flush();
                    out.add(new Message(Role.USER, parts(content, contentPath, false), null));
                }
                case "assistant" -> assistant().addAll(parts(content, contentPath, true));
                default ->
                    throw new InvalidRequest(
                            "Invalid value for '" + path + ".role': '" + role
                                    + "'. Supported values are: 'user', 'assistant', 'system' and 'developer'.",
                            path + ".role");
            }
        }

        private List<ContentPart> assistant() {
            List<ContentPart> a = assistant;
            if (a == null) {
                a = new ArrayList<>();
                assistant = a;
            }
            return a;
        }

        private void flush() {
            List<ContentPart> a = assistant;
            if (a != null) {
                if (!a.isEmpty()) {
                    out.add(new Message(Role.ASSISTANT, a, null));
                }
                assistant = null;
            }
        }
    }

    /** Message content: a string, or input_text / input_image / output_text / refusal parts. */
    private static List<ContentPart> parts(@Nullable JsonNode content, String path, boolean assistant) {
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
            String type = part.isObject() ? optionalString(part, "type", p + ".type") : null;
            if (type == null) {
                throw new InvalidRequest("Missing required parameter: '" + p + ".type'.", p + ".type");
            }
            switch (type) {
                case "input_text", "output_text", "text" ->
                    parts.add(new ContentPart.Text(requiredString(part, "text", p + ".text")));
                case "refusal" -> parts.add(new ContentPart.Text(requiredString(part, "refusal", p + ".refusal")));
                case "input_image" -> {
                    if (assistant) {
                        throw new InvalidRequest(
                                "Invalid value for '" + p + ".type': assistant messages cannot contain images.",
                                p + ".type");
                    }
                    parts.add(image(part, p));
                }
                case "input_file" ->
                    throw new InvalidRequest(
                            "'" + p + "': file inputs are not supported by this gateway.", p + ".type");
                default ->
                    throw new InvalidRequest(
                            "Invalid value for '" + p + ".type': '" + type
                                    + "'. Supported values are: 'input_text', 'input_image' and 'output_text'.",
                            p + ".type");
            }
        }
        return parts;
    }

    private static ContentPart image(JsonNode part, String path) {
        String url = optionalString(part, "image_url", path + ".image_url");
        if (url == null) {
            if (part.hasNonNull("file_id")) {
                throw new InvalidRequest(
                        "'" + path + ".file_id': uploaded files are not supported by this gateway; send "
                                + "'image_url' (a URL or a data URL).",
                        path + ".file_id");
            }
            throw new InvalidRequest("Missing required parameter: '" + path + ".image_url'.", path + ".image_url");
        }
        return ContentPart.Image.fromDataUrlOrUrl(url);
    }

    /** A tool's output: a string, or text and image parts (the images follow the result in the same turn). */
    private static String toolOutput(@Nullable JsonNode output, String path, List<ContentPart> images) {
        if (output == null || output.isNull()) {
            throw new InvalidRequest("Missing required parameter: '" + path + "'.", path);
        }
        if (output.isTextual()) {
            return output.asText();
        }
        if (!output.isArray()) {
            throw new InvalidRequest("Invalid type for '" + path + "': expected a string or an array.", path);
        }
        StringBuilder text = new StringBuilder();
        for (ContentPart p : parts(output, path, false)) {
            if (p instanceof ContentPart.Text t) {
                text.append(t.text());
            } else {
                images.add(p);
            }
        }
        return text.toString();
    }

    /** The reasoning text of a replayed reasoning item: its raw content if present, else its summaries. */
    private static String reasoningText(JsonNode item, String path) {
        StringBuilder text = new StringBuilder();
        JsonNode content = item.get("content");
        if (content != null && content.isArray()) {
            for (JsonNode c : content) {
                text.append(c.path("text").asText(""));
            }
        }
        if (text.isEmpty()) {
            JsonNode summary = item.get("summary");
            if (summary != null && !summary.isNull() && !summary.isArray()) {
                throw new InvalidRequest(
                        "Invalid type for '" + path + ".summary': expected an array.", path + ".summary");
            }
            if (summary != null) {
                for (JsonNode s : summary) {
                    if (!text.isEmpty()) {
                        text.append("\n\n");
                    }
                    text.append(s.path("text").asText(""));
                }
            }
        }
        return text.toString();
    }

    /**
     * Function tools become canonical tools; OpenAI-hosted tools (web_search, file_search, computer_use,
     * code_interpreter, image_generation, mcp, ...) are collected in {@code builtin}: only an upstream that serves the
     * Responses API itself can run them.
     */
    private static List<ToolSpec> tools(@Nullable JsonNode tools, List<String> builtin) {
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
            String type = requiredString(tool, "type", p + ".type");
            if (type.equals("namespace")) {
                // A group of function tools (Codex sends its MCP tools so): flattened as namespace__name.
                String namespace = requiredString(tool, "name", p + ".name");
                JsonNode nested = tool.get("tools");
                if (nested == null || !nested.isArray()) {
                    throw new InvalidRequest("Invalid type for '" + p + ".tools': expected an array.", p + ".tools");
                }
                for (int j = 0; j < nested.size(); j++) {
                    JsonNode fn = nested.get(j);
                    String q = p + ".tools[" + j + "]";
                    if (!fn.isObject() || !"function".equals(Json.text(fn, "type"))) {
                        String nestedType = fn.isObject() ? Json.text(fn, "type") : null;
                        builtin.add(nestedType == null ? "namespace" : nestedType);
                        continue;
                    }
                    out.add(function(fn, q, namespace + NAMESPACE_SEPARATOR));
                }
                continue;
            }
            if (!type.equals("function")) {
                builtin.add(type);
                continue;
            }
            out.add(function(tool, p, ""));
        }
        return out;
    }

    /** Separates a namespace from a function name in the canonical tool name ({@code namespace__name}). */
    public static final String NAMESPACE_SEPARATOR = "__";

    private static ToolSpec function(JsonNode tool, String p, String prefix) {
        String name = requiredString(tool, "name", p + ".name");
        JsonNode parameters = tool.get("parameters");
        if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
            throw new InvalidRequest("Invalid type for '" + p + ".parameters': expected an object.", p + ".parameters");
        }
        return new ToolSpec(
                prefix + name,
                optionalString(tool, "description", p + ".description"),
                parameters == null || parameters.isNull() ? emptySchema() : parameters);
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
        String type = requiredString(choice, "type", "tool_choice.type");
        return switch (type) {
            case "function" -> new ToolChoice.Named(requiredString(choice, "name", "tool_choice.name"));
            case "allowed_tools" ->
                "required".equals(Json.text(choice, "mode")) ? new ToolChoice.Required() : new ToolChoice.Auto();
            default ->
                throw new InvalidRequest(
                        "Invalid value for 'tool_choice.type': '" + type
                                + "' names a hosted tool, which this gateway cannot run.",
                        "tool_choice.type");
        };
    }

    private static GenerationParams params(JsonNode body) {
        Integer maxTokens = optionalInt(body, "max_output_tokens");
        if (maxTokens != null && maxTokens < 1) {
            throw new InvalidRequest(
                    "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 1.",
                    "max_output_tokens");
        }
        Double temperature = optionalNumber(body, "temperature");
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw new InvalidRequest("Invalid 'temperature': must be between 0 and 2.", "temperature");
        }
        Double topP = optionalNumber(body, "top_p");
        if (topP != null && (topP < 0 || topP > 1)) {
            throw new InvalidRequest("Invalid 'top_p': must be between 0 and 1.", "top_p");
        }
        return new GenerationParams(maxTokens, temperature, topP, null, List.of(), null, null, null, null);
    }

    /** {@code text.format}: flat in the Responses API ({@code {type, name, schema, strict}}). */
    private static @Nullable ResponseFormat responseFormat(JsonNode text) {
        if (text.isMissingNode() || text.isNull()) {
            return null;
        }
        if (!text.isObject()) {
            throw new InvalidRequest("Invalid type for 'text': expected an object.", "text");
        }
        JsonNode format = text.get("format");
        if (format == null || format.isNull()) {
            return null;
        }
        String type = format.isObject() ? optionalString(format, "type", "text.format.type") : null;
        if (type == null) {
            throw new InvalidRequest("Missing required parameter: 'text.format.type'.", "text.format.type");
        }
        return switch (type) {
            case "text" -> new ResponseFormat.Text();
            case "json_object" -> new ResponseFormat.JsonObject();
            case "json_schema" -> {
                String name = requiredString(format, "name", "text.format.name");
                JsonNode schema = format.get("schema");
                if (schema == null || !schema.isObject()) {
                    throw new InvalidRequest("Missing required parameter: 'text.format.schema'.", "text.format.schema");
                }
                JsonNode strict = format.get("strict");
                yield new ResponseFormat.JsonSchema(
                        name, schema, strict != null && strict.isBoolean() ? strict.asBoolean() : null);
            }
            default ->
                throw new InvalidRequest(
                        "Invalid value for 'text.format.type': '" + type
                                + "'. Supported values are: 'text', 'json_object' and 'json_schema'.",
                        "text.format.type");
        };
    }

    private static @Nullable ReasoningConfig reasoning(@Nullable JsonNode reasoning) {
        if (reasoning == null || reasoning.isNull()) {
            return null;
        }
        if (!reasoning.isObject()) {
            throw new InvalidRequest("Invalid type for 'reasoning': expected an object.", "reasoning");
        }
        String effort = optionalString(reasoning, "effort", "reasoning.effort");
        String summary = optionalString(reasoning, "summary", "reasoning.summary");
        if (summary != null && !Set.of("auto", "concise", "detailed").contains(summary)) {
            throw new InvalidRequest(
                    "Invalid value for 'reasoning.summary': expected 'auto', 'concise' or 'detailed'.",
                    "reasoning.summary");
        }
        if (effort == null) {
            return null;
        }
        if (!Set.of("none", "minimal", "low", "medium", "high", "xhigh").contains(effort)) {
            throw new InvalidRequest(
                    "Invalid value for 'reasoning.effort': expected 'none', 'minimal', 'low', 'medium' or 'high'.",
                    "reasoning.effort");
        }
        String canonical = switch (effort) {
            case "minimal" -> "low";
            case "xhigh" -> "high";
            default -> effort;
        };
        return new ReasoningConfig(!"none".equals(effort), canonical, null);
    }

    /** Whether the client asked for reasoning summaries ({@code reasoning.summary}). */
    public static boolean wantsSummary(ObjectNode echo) {
        JsonNode summary = echo.path("reasoning").get("summary");
        return summary != null && summary.isTextual();
    }

    private static void metadata(@Nullable JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return;
        }
        if (!metadata.isObject()) {
            throw new InvalidRequest("Invalid type for 'metadata': expected an object.", "metadata");
        }
        if (metadata.size() > 16) {
            throw new InvalidRequest("Invalid 'metadata': at most 16 keys.", "metadata");
        }
        metadata.properties().forEach(e -> {
            if (!e.getValue().isTextual()
                    || e.getValue().asText().length() > 512
                    || e.getKey().length() > 64) {
                throw new InvalidRequest(
                        "Invalid 'metadata." + e.getKey()
                                + "': keys are strings of at most 64 characters, values strings of at most 512.",
                        "metadata");
            }
        });
    }

    private static @Nullable String userOf(JsonNode body) {
        String user = optionalString(body, "user");
        return user != null ? user : optionalString(body, "safety_identifier");
    }

    private static @Nullable Boolean optionalBool(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new InvalidRequest("Invalid type for '" + field + "': expected a boolean.", field);
        }
        return v.asBoolean();
    }

    private static String requiredString(JsonNode node, String field, String path) {
        String v = optionalString(node, field, path);
        if (v == null) {
            throw new InvalidRequest("Missing required parameter: '" + path + "'.", path);
        }
        return v;
    }
}
