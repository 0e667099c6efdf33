package io.modelmaestro.wire.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.GenerationParams;
import io.modelmaestro.core.model.Message;
import io.modelmaestro.core.model.ReasoningConfig;
import io.modelmaestro.core.model.ResponseFormat;
import io.modelmaestro.core.model.ToolChoice;
import io.modelmaestro.core.model.ToolSpec;
import io.modelmaestro.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Canonical {@link ChatRequest} → OpenAI chat-completions request body. */
public final class OpenAiRequestEncoder {

    private OpenAiRequestEncoder() {}

    public static ObjectNode encode(ChatRequest request, String upstreamModel) {
        ObjectNode body = Json.object();
        body.put("model", upstreamModel);
        ArrayNode messages = body.putArray("messages");
        if (!request.system().isEmpty()) {
            ObjectNode sys = messages.addObject();
            sys.put("role", "system");
            sys.put("content", text(request.system()));
        }
        for (Message m : request.messages()) {
            encodeMessage(m, messages);
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec t : request.tools()) {
                ObjectNode tool = tools.addObject();
                tool.put("type", "function");
                ObjectNode fn = tool.putObject("function");
                fn.put("name", t.name());
                if (t.description() != null) {
                    fn.put("description", t.description());
                }
                fn.set("parameters", t.parameters());
            }
        }
        ToolChoice choice = request.toolChoice();
        if (choice != null) {
            switch (choice) {
                case ToolChoice.Auto a -> body.put("tool_choice", "auto");
                case ToolChoice.None n -> body.put("tool_choice", "none");
                case ToolChoice.Required r -> body.put("tool_choice", "required");
                case ToolChoice.Named n -> {
                    ObjectNode c = body.putObject("tool_choice");
                    c.put("type", "function");
                    c.putObject("function").put("name", n.name());
                }
            }
        }
        GenerationParams p = request.params();
        if (p.maxTokens() != null) {
            body.put("max_tokens", p.maxTokens());
        }
        if (p.temperature() != null) {
            body.put("temperature", p.temperature());
        }
        if (p.topP() != null) {
            body.put("top_p", p.topP());
        }
        if (p.topK() != null) {
            body.put("top_k", p.topK());
        }
        if (!p.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            p.stop().forEach(stop::add);
        }
        if (p.seed() != null) {
            body.put("seed", p.seed());
        }
        if (p.frequencyPenalty() != null) {
            body.put("frequency_penalty", p.frequencyPenalty());
        }
        if (p.presencePenalty() != null) {
            body.put("presence_penalty", p.presencePenalty());
        }
        ResponseFormat format = request.responseFormat();
        if (format != null) {
            ObjectNode f = body.putObject("response_format");
            switch (format) {
                case ResponseFormat.Text t -> f.put("type", "text");
                case ResponseFormat.JsonObject j -> f.put("type", "json_object");
                case ResponseFormat.JsonSchema s -> {
                    f.put("type", "json_schema");
                    ObjectNode js = f.putObject("json_schema");
                    js.put("name", s.name());
                    js.set("schema", s.schema());
                    if (s.strict() != null) {
                        js.put("strict", s.strict());
                    }
                }
            }
        }
        String effort = effort(request.reasoning());
        if (effort != null) {
            body.put("reasoning_effort", effort);
        }
        if (request.user() != null) {
            body.put("user", request.user());
        }
        body.put("stream", request.stream());
        if (request.stream()) {
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    private static void encodeMessage(Message m, ArrayNode out) {
        switch (m.role()) {
            case SYSTEM -> {
                ObjectNode o = out.addObject();
                o.put("role", "system");
                o.put("content", m.text());
            }
            case USER -> {
                ObjectNode o = out.addObject();
                o.put("role", "user");
                boolean onlyText = m.content().stream().allMatch(c -> c instanceof ContentPart.Text);
                if (onlyText) {
                    // Several text blocks (Claude Code sends a reminder block and the question) stay apart.
                    o.put("content", text(m.content()));
                } else {
                    ArrayNode parts = o.putArray("content");
                    for (ContentPart c : m.content()) {
                        switch (c) {
                            case ContentPart.Text t -> {
                                ObjectNode part = parts.addObject();
                                part.put("type", "text");
                                part.put("text", t.text());
                            }
                            case ContentPart.Image i -> {
                                ObjectNode part = parts.addObject();
                                part.put("type", "image_url");
                                part.putObject("image_url").put("url", i.asUrl());
                            }
                            case ContentPart.Unknown u -> parts.add(u.raw());
                            default -> {}
                        }
                    }
                }
                if (m.name() != null) {
                    o.put("name", m.name());
                }
            }
            case ASSISTANT -> {
                ObjectNode o = out.addObject();
                o.put("role", "assistant");
                StringBuilder text = new StringBuilder();
                StringBuilder reasoning = new StringBuilder();
                List<ContentPart.ToolCall> calls = new ArrayList<>();
                for (ContentPart c : m.content()) {
                    switch (c) {
                        case ContentPart.Text t -> text.append(t.text());
                        case ContentPart.Reasoning r -> reasoning.append(r.text());
                        case ContentPart.ToolCall tc -> calls.add(tc);
                        default -> {}
                    }
                }
                if (text.isEmpty() && !calls.isEmpty()) {
                    o.putNull("content");
                } else {
                    o.put("content", text.toString());
                }
                if (!reasoning.isEmpty()) {
                    o.put("reasoning_content", reasoning.toString());
                }
                if (!calls.isEmpty()) {
                    ArrayNode tc = o.putArray("tool_calls");
                    for (ContentPart.ToolCall c : calls) {
                        ObjectNode call = tc.addObject();
                        call.put("id", c.id());
                        call.put("type", "function");
                        ObjectNode fn = call.putObject("function");
                        fn.put("name", c.name());
                        fn.put("arguments", c.arguments());
                    }
                }
            }
            case TOOL -> {
                // One OpenAI tool message per result; any text beside results becomes a user message. Tool messages
                // carry text only, so images of the results follow in that user message (docs/providers/openai.md).
                StringBuilder other = new StringBuilder();
                List<ContentPart.Image> images = new ArrayList<>();
                for (ContentPart c : m.content()) {
                    if (c instanceof ContentPart.ToolResult r) {
                        ObjectNode o = out.addObject();
                        o.put("role", "tool");
                        o.put("tool_call_id", r.toolCallId());
                        o.put("content", r.content());
                    } else if (c instanceof ContentPart.Text t) {
                        other.append(t.text());
                    } else if (c instanceof ContentPart.Image i) {
                        images.add(i);
                    }
                }
                if (!images.isEmpty()) {
                    ObjectNode o = out.addObject();
                    o.put("role", "user");
                    ArrayNode parts = o.putArray("content");
                    if (!other.isEmpty()) {
                        parts.addObject().put("type", "text").put("text", other.toString());
                    }
                    for (ContentPart.Image i : images) {
                        ObjectNode part = parts.addObject();
                        part.put("type", "image_url");
                        part.putObject("image_url").put("url", i.asUrl());
                    }
                } else if (!other.isEmpty()) {
                    ObjectNode o = out.addObject();
                    o.put("role", "user");
                    o.put("content", other.toString());
                }
            }
        }
    }

    /**
     * {@code reasoning_effort}: the effort when one was given, else derived from a token budget (Anthropic's and
     * Converse's scale): 12,000 and more is high, 4,000 and more medium, below that low.
     */
    static @Nullable String effort(@Nullable ReasoningConfig reasoning) {
        if (reasoning == null) {
            return null;
        }
        if (reasoning.effort() != null) {
            return reasoning.effort();
        }
        Integer budget = reasoning.budgetTokens();
        if (!reasoning.enabled() || budget == null) {
            return null;
        }
        return budget >= 12_000 ? "high" : budget >= 4_000 ? "medium" : "low";
    }

    private static String text(List<ContentPart> parts) {
        StringBuilder out = new StringBuilder();
        for (ContentPart p : parts) {
            if (p instanceof ContentPart.Text t) {
                if (!out.isEmpty()) {
                    out.append("\n\n");
                }
                out.append(t.text());
            }
        }
        return out.toString();
    }
}
