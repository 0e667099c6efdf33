package io.modelmaestro.provider.bedrock;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.GenerationParams;
import io.modelmaestro.core.model.Message;
import io.modelmaestro.core.model.ReasoningConfig;
import io.modelmaestro.core.model.Role;
import io.modelmaestro.core.model.ToolSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultStatus;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * The canonical {@link ChatRequest} as a Converse request (docs/providers/bedrock.md, "Request mapping"). Pure: no
 * I/O, so every rule is unit-tested. Converse wants alternating user/assistant turns, so tool results (a {@code TOOL}
 * message) become {@code toolResult} blocks of a user turn and consecutive turns of one role are merged.
 */
final class CanonicalToConverse {

    private CanonicalToConverse() {}

    /** The parts of a Converse request that do not depend on streaming or not. */
    record Parts(
            String modelId,
            List<SystemContentBlock> system,
            List<software.amazon.awssdk.services.bedrockruntime.model.Message> messages,
            @Nullable InferenceConfiguration inference,
            @Nullable ToolConfiguration tools,
            @Nullable Document additionalFields) {}

    static ConverseRequest converse(ChatRequest request, String modelId) {
        Parts p = parts(request, modelId);
        ConverseRequest.Builder b =
                ConverseRequest.builder().modelId(p.modelId()).messages(p.messages());
        if (!p.system().isEmpty()) {
            b.system(p.system());
        }
        if (p.inference() != null) {
            b.inferenceConfig(p.inference());
        }
        if (p.tools() != null) {
            b.toolConfig(p.tools());
        }
        if (p.additionalFields() != null) {
            b.additionalModelRequestFields(p.additionalFields());
        }
        return b.build();
    }

    static ConverseStreamRequest converseStream(ChatRequest request, String modelId) {
        Parts p = parts(request, modelId);
        ConverseStreamRequest.Builder b =
                ConverseStreamRequest.builder().modelId(p.modelId()).messages(p.messages());
        if (!p.system().isEmpty()) {
            b.system(p.system());
        }
        if (p.inference() != null) {
            b.inferenceConfig(p.inference());
        }
        if (p.tools() != null) {
            b.toolConfig(p.tools());
        }
        if (p.additionalFields() != null) {
            b.additionalModelRequestFields(p.additionalFields());
        }
        return b.build();
    }

    static Parts parts(ChatRequest request, String modelId) {
        List<SystemContentBlock> system = new ArrayList<>();
        for (ContentPart part : request.system()) {
            if (part instanceof ContentPart.Text t && !t.text().isBlank()) {
                system.add(SystemContentBlock.fromText(t.text()));
            }
        }
        List<Turn> turns = new ArrayList<>();
        boolean toolBlocks = false;
        for (Message m : request.messages()) {
            if (m.role() == Role.SYSTEM) {
                String text = m.text();
                if (!text.isBlank()) {
                    system.add(SystemContentBlock.fromText(text));
                }
                continue;
            }
            ConversationRole role = m.role() == Role.ASSISTANT ? ConversationRole.ASSISTANT : ConversationRole.USER;
            List<ContentBlock> blocks = m.role() == Role.TOOL ? toolResults(m) : blocks(m, role);
            toolBlocks |= blocks.stream().anyMatch(b -> b.toolUse() != null || b.toolResult() != null);
            if (blocks.isEmpty()) {
                continue;
            }
            Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
            if (last != null && last.role == role) {
                last.blocks.addAll(blocks);
            } else {
                turns.add(new Turn(role, new ArrayList<>(blocks)));
            }
        }
        if (turns.isEmpty()) {
            throw new GatewayException.InvalidRequest("'messages' must contain at least one user message.", "messages");
        }
        List<software.amazon.awssdk.services.bedrockruntime.model.Message> messages = new ArrayList<>();
        for (Turn t : turns) {
            messages.add(software.amazon.awssdk.services.bedrockruntime.model.Message.builder()
                    .role(t.role)
                    .content(t.blocks)
                    .build());
        }
        return new Parts(
                modelId,
                system,
                messages,
                inference(request.params()),
                toolConfig(request, toolBlocks),
                additionalFields(request, modelId));
    }

    private static final class Turn {
        final ConversationRole role;
        final List<ContentBlock> blocks;

        Turn(ConversationRole role, List<ContentBlock> blocks) {
            this.role = role;
            this.blocks = blocks;
        }
    }

    private static List<ContentBlock> blocks(Message m, ConversationRole role) {
        List<ContentBlock> out = new ArrayList<>();
        for (ContentPart part : m.content()) {
            switch (part) {
                case ContentPart.Text t -> {
                    if (!t.text().isBlank()) {
                        out.add(ContentBlock.fromText(t.text()));
                    }
                }
                case ContentPart.Image i -> out.add(ContentBlock.fromImage(image(i)));
                case ContentPart.Reasoning r -> {
                    // Converse only takes back reasoning it signed itself; unsigned text would be rejected.
                    if (role == ConversationRole.ASSISTANT && r.signature() != null) {
                        out.add(ContentBlock.fromReasoningContent(
                                ReasoningContentBlock.fromReasoningText(ReasoningTextBlock.builder()
                                        .text(r.text())
                                        .signature(r.signature())
                                        .build())));
                    }
                }
                case ContentPart.ToolCall c ->
                    out.add(ContentBlock.fromToolUse(ToolUseBlock.builder()
                            .toolUseId(c.id())
                            .name(c.name())
                            .input(Documents.objectFromText(c.arguments()))
                            .build()));
                case ContentPart.ToolResult r -> out.add(toolResult(r, List.of()));
                case ContentPart.Unknown u -> {}
            }
        }
        return out;
    }

    /** A {@code TOOL} message: its results, each followed by the images that belong to it. */
    private static List<ContentBlock> toolResults(Message m) {
        List<ContentBlock> out = new ArrayList<>();
        ContentPart.ToolResult pending = null;
        List<ImageBlock> images = new ArrayList<>();
        for (ContentPart part : m.content()) {
            if (part instanceof ContentPart.ToolResult r) {
                if (pending != null) {
                    out.add(toolResult(pending, images));
                    images = new ArrayList<>();
                }
                pending = r;
            } else if (part instanceof ContentPart.Image i && pending != null) {
                images.add(image(i));
            } else if (part instanceof ContentPart.Text t && !t.text().isBlank()) {
                out.add(ContentBlock.fromText(t.text()));
            }
        }
        if (pending != null) {
            out.add(toolResult(pending, images));
        }
        return out;
    }

    private static ContentBlock toolResult(ContentPart.ToolResult r, List<ImageBlock> images) {
        List<ToolResultContentBlock> content = new ArrayList<>();
        content.add(ToolResultContentBlock.fromText(r.content().isEmpty() ? " " : r.content()));
        images.forEach(i -> content.add(ToolResultContentBlock.fromImage(i)));
        ToolResultBlock.Builder b =
                ToolResultBlock.builder().toolUseId(r.toolCallId()).content(content);
        if (r.isError()) {
            b.status(ToolResultStatus.ERROR);
        }
        return ContentBlock.fromToolResult(b.build());
    }

    /** Converse takes image bytes only: a URL image (not a data URL) is the client's mistake here. */
    static ImageBlock image(ContentPart.Image i) {
        if (i.data() == null) {
            throw new GatewayException.InvalidRequest(
                    "Bedrock models take images as inline data (a data: URL or base64); image URLs are not fetched.",
                    "messages");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(i.data());
        } catch (IllegalArgumentException e) {
            throw new GatewayException.InvalidRequest("An image's base64 data is not valid.", "messages");
        }
        return ImageBlock.builder()
                .format(format(i.mediaType()))
                .source(ImageSource.fromBytes(SdkBytes.fromByteArray(bytes)))
                .build();
    }

    private static ImageFormat format(@Nullable String mediaType) {
        String t = mediaType == null ? "image/png" : mediaType.toLowerCase(Locale.ROOT);
        return switch (t) {
            case "image/png" -> ImageFormat.PNG;
            case "image/jpeg", "image/jpg" -> ImageFormat.JPEG;
            case "image/gif" -> ImageFormat.GIF;
            case "image/webp" -> ImageFormat.WEBP;
            default ->
                throw new GatewayException.InvalidRequest(
                        "Image type '" + t + "' is not supported by Bedrock (png, jpeg, gif, webp).", "messages");
        };
    }

    private static @Nullable InferenceConfiguration inference(GenerationParams p) {
        if (p.maxTokens() == null
                && p.temperature() == null
                && p.topP() == null
                && p.stop().isEmpty()) {
            return null;
        }
        InferenceConfiguration.Builder b = InferenceConfiguration.builder();
        if (p.maxTokens() != null) {
            b.maxTokens(p.maxTokens());
        }
        if (p.temperature() != null) {
            b.temperature(p.temperature().floatValue());
        }
        if (p.topP() != null) {
            b.topP(p.topP().floatValue());
        }
        if (!p.stop().isEmpty()) {
            b.stopSequences(p.stop());
        }
        return b.build();
    }

    /**
     * Tools and the tool choice. Converse has no "none": with {@code tool_choice: none} the tools are left out, unless
     * the conversation already holds tool blocks (Converse then requires a tool configuration), when the model gets
     * them with the default (auto) choice.
     */
    private static @Nullable ToolConfiguration toolConfig(ChatRequest request, boolean toolBlocks) {
        if (request.tools().isEmpty()) {
            return null;
        }
        io.modelmaestro.core.model.ToolChoice choice = request.toolChoice();
        if (choice instanceof io.modelmaestro.core.model.ToolChoice.None && !toolBlocks) {
            return null;
        }
        List<Tool> tools = new ArrayList<>();
        for (ToolSpec t : request.tools()) {
            ToolSpecification.Builder spec = ToolSpecification.builder()
                    .name(t.name())
                    .inputSchema(ToolInputSchema.fromJson(
                            Documents.fromJson(t.parameters().isObject() ? t.parameters() : emptySchema())));
            if (t.description() != null && !t.description().isBlank()) {
                spec.description(t.description());
            }
            tools.add(Tool.fromToolSpec(spec.build()));
        }
        ToolConfiguration.Builder b = ToolConfiguration.builder().tools(tools);
        switch (choice) {
            case io.modelmaestro.core.model.ToolChoice.Auto a -> b.toolChoice(ToolChoice.fromAuto(x -> {}));
            case io.modelmaestro.core.model.ToolChoice.Required r -> b.toolChoice(ToolChoice.fromAny(x -> {}));
            case io.modelmaestro.core.model.ToolChoice.Named n ->
                b.toolChoice(ToolChoice.fromTool(x -> x.name(n.name())));
            case io.modelmaestro.core.model.ToolChoice.None n -> {}
            case null -> {}
        }
        return b.build();
    }

    private static ObjectNode emptySchema() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("type", "object");
        schema.putObject("properties");
        return schema;
    }

    /**
     * What Converse has no field for, as {@code additionalModelRequestFields}: for Anthropic models {@code top_k} and
     * extended thinking ({@code thinking: {type: enabled, budget_tokens}}), the effort scale mapped to a budget.
     */
    static @Nullable Document additionalFields(ChatRequest request, String modelId) {
        if (!isAnthropic(modelId)) {
            return null;
        }
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        Integer topK = request.params().topK();
        if (topK != null) {
            fields.put("top_k", topK);
        }
        ReasoningConfig reasoning = request.reasoning();
        if (reasoning != null && reasoning.enabled()) {
            ObjectNode thinking = fields.putObject("thinking");
            thinking.put("type", "enabled");
            thinking.put("budget_tokens", budget(reasoning));
        }
        return fields.isEmpty() ? null : Documents.fromJson(fields);
    }

    static int budget(ReasoningConfig reasoning) {
        Integer b = reasoning.budgetTokens();
        if (b != null) {
            return Math.max(1024, b);
        }
        String effort = reasoning.effort() == null ? "medium" : reasoning.effort();
        return switch (effort) {
            case "minimal", "low" -> 1024;
            case "high" -> 16_384;
            default -> 4096;
        };
    }

    static boolean isAnthropic(String modelId) {
        return modelId.contains("anthropic.");
    }
}
