package io.modelmaestro.wire.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.model.ChatResult;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Gemini {@code GenerateContentResponse} ⇄ canonical {@link ChatResult}, and {@code usageMetadata} ⇄ {@link Usage}.
 *
 * <p>Usage: Gemini's {@code promptTokenCount} includes {@code cachedContentTokenCount} (as the canonical prompt count
 * does), and its {@code candidatesTokenCount} excludes {@code thoughtsTokenCount}, which the canonical completion
 * count includes: decoding adds the two. Encoding writes the canonical completion count as {@code
 * candidatesTokenCount}; the canonical usage does not split reasoning out, so {@code thoughtsTokenCount} is written
 * only when the upstream's usage said (never, today: docs/gemini.md).
 */
public final class GeminiResponseCodec {

    private GeminiResponseCodec() {}

    public static ObjectNode encode(
            ChatResult result, String displayModel, String responseId, boolean includeThoughts) {
        ArrayNode parts = Json.array();
        for (ContentPart p : result.content()) {
            ObjectNode part = part(p, includeThoughts);
            if (part != null) {
                parts.add(part);
            }
        }
        if (parts.isEmpty()) {
            parts.addObject().put("text", "");
        }
        ObjectNode body = Json.object();
        ObjectNode candidate = body.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        content.set("parts", parts);
        content.put("role", "model");
        candidate.put("finishReason", GeminiFinishReasons.toGemini(result.finishReason()));
        candidate.put("index", 0);
        body.set("usageMetadata", encodeUsage(result.usage()));
        body.put("modelVersion", displayModel);
        body.put("responseId", responseId);
        return body;
    }

    static @Nullable ObjectNode part(ContentPart p, boolean includeThoughts) {
        return switch (p) {
            case ContentPart.Text t -> Json.object().put("text", t.text());
            case ContentPart.Reasoning r -> {
                if (!includeThoughts) {
                    yield null;
                }
                ObjectNode part = Json.object().put("text", r.text()).put("thought", true);
                if (r.signature() != null && !r.signature().isEmpty()) {
                    part.put("thoughtSignature", r.signature());
                }
                yield part;
            }
            case ContentPart.ToolCall c -> functionCall(c.id(), c.name(), c.arguments());
            case ContentPart.Image i -> {
                if (i.data() == null) {
                    yield null;
                }
                ObjectNode part = Json.object();
                part.putObject("inlineData")
                        .put("mimeType", i.mediaType() == null ? "image/png" : i.mediaType())
                        .put("data", i.data());
                yield part;
            }
            case ContentPart.ToolResult r -> null;
            case ContentPart.Unknown u -> null;
        };
    }

    /** A {@code functionCall} part; arguments that are not a JSON object become {@code {}}. */
    static ObjectNode functionCall(@Nullable String id, String name, String arguments) {
        ObjectNode part = Json.object();
        ObjectNode call = part.putObject("functionCall");
        if (id != null && !id.isEmpty()) {
            call.put("id", id);
        }
        call.put("name", name);
        JsonNode args =
                arguments.isBlank() ? null : Json.tryParse(arguments.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        call.set("args", args != null && args.isObject() ? args : Json.object());
        return part;
    }

    public static ObjectNode encodeUsage(Usage usage) {
        ObjectNode u = Json.object();
        u.put("promptTokenCount", usage.promptTokens());
        u.put("candidatesTokenCount", usage.completionTokens());
        u.put("totalTokenCount", usage.totalTokens());
        if (usage.cacheReadTokens() > 0) {
            u.put("cachedContentTokenCount", usage.cacheReadTokens());
        }
        return u;
    }

    /** Gemini usage → canonical (thoughts counted as completion tokens, cached content as cache reads). */
    public static Usage usage(@Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.ZERO;
        }
        return new Usage(
                usage.path("promptTokenCount").asLong(0),
                usage.path("candidatesTokenCount").asLong(0)
                        + usage.path("thoughtsTokenCount").asLong(0),
                usage.path("cachedContentTokenCount").asLong(0),
                0);
    }

    /** A Gemini response → canonical (the first candidate). */
    public static ChatResult decode(JsonNode body) {
        JsonNode candidate = body.path("candidates").path(0);
        List<ContentPart> parts = new ArrayList<>();
        boolean calls = false;
        int n = 0;
        for (JsonNode part : candidate.path("content").path("parts")) {
            JsonNode call = part.get("functionCall");
            if (call != null && call.isObject()) {
                calls = true;
                String name = call.path("name").asText("");
                String id = Json.text(call, "id");
                JsonNode args = call.get("args");
                parts.add(new ContentPart.ToolCall(
                        id == null ? "call_" + name + "_" + n : id,
                        name,
                        args == null || !args.isObject() ? "{}" : Json.writeString(args)));
                n++;
            } else if (part.has("text")) {
                String text = part.path("text").asText("");
                if (part.path("thought").asBoolean(false)) {
                    parts.add(new ContentPart.Reasoning(text, Json.text(part, "thoughtSignature")));
                } else {
                    parts.add(new ContentPart.Text(text));
                }
            } else if (part.get("inlineData") instanceof ObjectNode inline) {
                parts.add(new ContentPart.Image(Json.text(inline, "mimeType"), Json.text(inline, "data"), null));
            }
        }
        String raw = Json.text(candidate, "finishReason");
        FinishReason reason = GeminiFinishReasons.toCanonical(raw, calls);
        return new ChatResult(
                body.path("responseId").asText(""),
                body.path("modelVersion").asText(""),
                parts,
                reason,
                raw,
                usage(body.get("usageMetadata")));
    }
}
