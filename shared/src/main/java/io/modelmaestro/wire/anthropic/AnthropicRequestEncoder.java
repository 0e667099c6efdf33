package io.modelmaestro.wire.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Canonical {@link ChatRequest} → Anthropic Messages request body (an OpenAI client calling a model on an {@code
 * anthropic} node). Anthropic is stricter than OpenAI, so this encoder also repairs what OpenAI clients send and
 * Anthropic refuses; every rule is listed in docs/providers/anthropic.md:
 *
 * <ul>
 *   <li>{@code max_tokens} is required: the client's value, else {@code defaultMaxTokens};
 *   <li>turns alternate: consecutive messages of one role are merged, and tool results (one OpenAI message each)
 *       are gathered into one user turn, before any text of that turn;
 *   <li>reasoning without Anthropic's signature cannot be replayed and is dropped; empty assistant turns are dropped;
 *   <li>{@code temperature} is clamped to [0, 1]; {@code seed} and the penalties have no Anthropic equivalent;
 *   <li>thinking gets a budget below {@code max_tokens} (1,024 at least, else it is off), turns off {@code
 *       temperature}/{@code top_k}, and gives way to a forced tool choice, which Anthropic does not combine with it.
 * </ul>
 */
public final class AnthropicRequestEncoder {

    /** The smallest thinking budget Anthropic accepts. */
    static final int MIN_THINKING_BUDGET = 1024;

    private AnthropicRequestEncoder() {}

    public static ObjectNode encode(ChatRequest request, String upstreamModel, int defaultMaxTokens) {
        ObjectNode body = Json.object();
        body.put("model", upstreamModel);
        GenerationParams p = request.params();
        int maxTokens = p.maxTokens() != null ? p.maxTokens() : defaultMaxTokens;
        body.put("max_tokens", maxTokens);

        StringBuilder system = new StringBuilder();
        appendText(system, request.system());
        ArrayNode messages = body.putArray("messages");
        ObjectNode current = null;
        String currentRole = null;
        for (Message m : request.messages()) {
            if (m.role() == Role.SYSTEM) {
                appendText(system, m.content());
                continue;
            }
            String role = m.role() == Role.ASSISTANT ? "assistant" : "user";
            ArrayNode blocks = blocks(m);
            if (blocks.isEmpty()) {
                continue;
            }
            if (current == null || !role.equals(currentRole)) {
                current = messages.addObject();
                current.put("role", role);
                current.putArray("content");
                currentRole = role;
            }
            ArrayNode content = (ArrayNode) current.get("content");
            if (m.role() == Role.TOOL) {
                // tool_result blocks must open the user turn
                int firstNonResult = 0;
                while (firstNonResult < content.size()
                        && "tool_result"
                                .equals(content.get(firstNonResult).path("type").asText())) {
                    firstNonResult++;
                }
                for (int i = 0; i < blocks.size(); i++) {
                    content.insert(firstNonResult + i, blocks.get(i));
                }
            } else {
                content.addAll(blocks);
            }
        }
        if (!system.isEmpty()) {
            body.put("system", system.toString());
        }

        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec t : request.tools()) {
                ObjectNode tool = tools.addObject();
                tool.put("name", t.name());
                if (t.description() != null) {
                    tool.put("description", t.description());
                }
                tool.set("input_schema", t.parameters());
            }
        }
        ToolChoice choice = request.toolChoice();
        boolean forcedTool = choice instanceof ToolChoice.Required || choice instanceof ToolChoice.Named;
        if (choice != null && (!request.tools().isEmpty() || choice instanceof ToolChoice.None)) {
            ObjectNode c = body.putObject("tool_choice");
            switch (choice) {
                case ToolChoice.Auto a -> c.put("type", "auto");
                case ToolChoice.None n -> c.put("type", "none");
                case ToolChoice.Required r -> c.put("type", "any");
                case ToolChoice.Named n -> {
                    c.put("type", "tool");
                    c.put("name", n.name());
                }
            }
        }

        Integer budget = forcedTool ? null : thinkingBudget(request.reasoning(), maxTokens);
        if (budget != null) {
            ObjectNode thinking = body.putObject("thinking");
            thinking.put("type", "enabled");
            thinking.put("budget_tokens", budget);
        } else {
            if (p.temperature() != null) {
                body.put("temperature", Math.max(0, Math.min(1, p.temperature())));
            }
            if (p.topK() != null) {
                body.put("top_k", p.topK());
            }
        }
        if (p.topP() != null && (budget == null || p.topP() >= 0.95)) {
            body.put("top_p", p.topP());
        }
        if (!p.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop_sequences");
            p.stop().forEach(stop::add);
        }
        if (request.responseFormat() instanceof ResponseFormat.JsonSchema s) {
            ObjectNode format = body.putObject("output_config").putObject("format");
            format.put("type", "json_schema");
            format.set("schema", s.schema());
        }
        if (request.user() != null) {
            body.putObject("metadata").put("user_id", request.user());
        }
        body.put("stream", request.stream());
        return body;
    }

    /**
     * The thinking budget to send, or null for none: the client's budget, else the effort's (low 1,024, medium
     * 4,096, high 8,192), kept below {@code max_tokens}; under the 1,024 minimum thinking is off.
     */
    static @Nullable Integer thinkingBudget(@Nullable ReasoningConfig reasoning, int maxTokens) {
        if (reasoning == null || !reasoning.enabled()) {
            return null;
        }
        Integer budget = reasoning.budgetTokens();
        if (budget == null) {
            String effort = reasoning.effort();
            if (effort == null) {
                budget = 4096;
            } else {
                budget = switch (effort) {
                    case "none" -> 0;
                    case "minimal", "low" -> 1024;
                    case "high", "xhigh", "max" -> 8192;
                    default -> 4096;
                };
            }
        }
        int capped = Math.min(budget, maxTokens - 1);
        return capped < MIN_THINKING_BUDGET ? null : capped;
    }

    private static ArrayNode blocks(Message m) {
        ArrayNode out = Json.array();
        ObjectNode lastResult = null;
        for (ContentPart c : m.content()) {
            switch (c) {
                case ContentPart.Text t -> {
                    if (!t.text().isEmpty()) {
                        out.addObject().put("type", "text").put("text", t.text());
                    }
                }
                case ContentPart.Image i -> {
                    ObjectNode image = image(i);
                    if (lastResult != null) {
                        resultContent(lastResult).add(image);
                    } else {
                        out.add(image);
                    }
                }
                case ContentPart.Reasoning r -> {
                    if (m.role() == Role.ASSISTANT
                            && r.signature() != null
                            && !r.signature().isEmpty()) {
                        ObjectNode thinking = out.addObject();
                        thinking.put("type", "thinking");
                        thinking.put("thinking", r.text());
                        thinking.put("signature", r.signature());
                    }
                }
                case ContentPart.ToolCall tc -> {
                    ObjectNode use = out.addObject();
                    use.put("type", "tool_use");
                    use.put("id", tc.id());
                    use.put("name", tc.name());
                    use.set("input", AnthropicResponseCodec.arguments(tc.arguments()));
                }
                case ContentPart.ToolResult r -> {
                    ObjectNode result = out.addObject();
                    result.put("type", "tool_result");
                    result.put("tool_use_id", r.toolCallId());
                    result.put("content", r.content());
                    if (r.isError()) {
                        result.put("is_error", true);
                    }
                    lastResult = result;
                    continue;
                }
                case ContentPart.Unknown u -> {
                    if (isAnthropicBlock(u)) {
                        out.add(u.raw());
                    }
                }
            }
            if (!(c instanceof ContentPart.Image)) {
                lastResult = null;
            }
        }
        return out;
    }

    /** A tool result's content as a block list (a string first becomes a text block), to add images to. */
    private static ArrayNode resultContent(ObjectNode result) {
        JsonNode content = result.get("content");
        if (content instanceof ArrayNode array) {
            return array;
        }
        ArrayNode array = result.putArray("content");
        String text = content == null ? "" : content.asText();
        if (!text.isEmpty()) {
            array.addObject().put("type", "text").put("text", text);
        }
        return array;
    }

    private static ObjectNode image(ContentPart.Image i) {
        ObjectNode image = Json.object();
        image.put("type", "image");
        ObjectNode source = image.putObject("source");
        if (i.data() != null) {
            source.put("type", "base64");
            source.put("media_type", i.mediaType() == null ? "image/png" : i.mediaType());
            source.put("data", i.data());
        } else {
            source.put("type", "url");
            source.put("url", i.url() == null ? "" : i.url());
        }
        return image;
    }

    /** Unknown blocks that came from an Anthropic client in the first place (documents, redacted thinking…). */
    private static boolean isAnthropicBlock(ContentPart.Unknown u) {
        return switch (u.type()) {
            case "document", "redacted_thinking", "search_result", "image" ->
                u.raw().isObject();
            default -> false;
        };
    }

    private static void appendText(StringBuilder out, List<ContentPart> parts) {
        List<String> texts = new ArrayList<>();
        for (ContentPart p : parts) {
            if (p instanceof ContentPart.Text t && !t.text().isEmpty()) {
                texts.add(t.text());
            }
        }
        for (String t : texts) {
            if (!out.isEmpty()) {
                out.append("\n\n");
            }
            out.append(t);
        }
    }
}
