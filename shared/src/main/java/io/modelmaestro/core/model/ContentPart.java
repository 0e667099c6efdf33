package io.modelmaestro.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * One block of message content. The set is the union of what the dialects and providers carry (Anthropic's and
 * Converse's block model), so tool calls and tool results are blocks too.
 */
public sealed interface ContentPart {

    record Text(String text) implements ContentPart {}

    /**
     * An image, either inline ({@code data} is base64, {@code mediaType} set) or by URL ({@code url} set). Providers
     * that need bytes fetch nothing themselves: a URL image goes only to upstreams that accept URLs.
     */
    record Image(
            @Nullable String mediaType,
            @Nullable String data,
            @Nullable String url) implements ContentPart {
        public static Image fromDataUrlOrUrl(String value) {
            if (value.startsWith("data:")) {
                int comma = value.indexOf(',');
                int semi = value.indexOf(';');
                if (comma > 0 && semi > 5 && semi < comma) {
                    return new Image(value.substring(5, semi), value.substring(comma + 1), null);
                }
            }
            return new Image(null, null, value);
        }

        /** The image as a URL: the original URL, or a data URL rebuilt from inline bytes. */
        public String asUrl() {
            if (url != null) {
                return url;
            }
            return "data:" + (mediaType == null ? "image/png" : mediaType) + ";base64," + (data == null ? "" : data);
        }
    }

    /** Model reasoning ("thinking"). {@code signature} is Anthropic's opaque integrity token, when there is one. */
    record Reasoning(String text, @Nullable String signature) implements ContentPart {}

    /** A tool call made by the assistant; {@code arguments} is the JSON text of the arguments object. */
    record ToolCall(String id, String name, String arguments) implements ContentPart {}

    /**
     * The result of a tool call, sent back by the client. Images that belong to the result (Anthropic allows them
     * inside a {@code tool_result}) follow it as {@link Image} parts in the same {@code TOOL} message.
     */
    record ToolResult(String toolCallId, String content, boolean isError) implements ContentPart {}

    /** Provider-specific content kept as JSON rather than dropped. */
    record Unknown(String type, JsonNode raw) implements ContentPart {}
}
