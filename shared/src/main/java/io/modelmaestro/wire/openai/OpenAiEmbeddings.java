package io.modelmaestro.wire.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.json.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's {@code /v1/embeddings} for nodes reached through an embeddings provider rather than passthrough: the text
 * inputs and {@code dimensions} of a request, and the answer ({@code encoding_format} {@code float} or
 * {@code base64}, the little-endian float32 bytes OpenAI sends).
 */
public final class OpenAiEmbeddings {

    private OpenAiEmbeddings() {}

    /** The text inputs; token-id arrays are accepted only by OpenAI-compatible nodes. */
    public static List<String> inputs(JsonNode body) {
        JsonNode input = body.get("input");
        List<String> out = new ArrayList<>();
        if (input != null && input.isTextual()) {
            out.add(input.asText());
            return out;
        }
        if (input != null && input.isArray()) {
            for (JsonNode i : input) {
                if (!i.isTextual()) {
                    throw new GatewayException.InvalidRequest(
                            "This model takes 'input' as a string or an array of strings (not token ids).", "input");
                }
                out.add(i.asText());
            }
        }
        if (out.isEmpty()) {
            throw new GatewayException.InvalidRequest("'input' must not be empty.", "input");
        }
        return out;
    }

    public static @Nullable Integer dimensions(JsonNode body) {
        JsonNode d = body.get("dimensions");
        if (d == null || d.isNull()) {
            return null;
        }
        if (!d.isIntegralNumber() || !d.canConvertToInt() || d.asInt() <= 0) {
            throw new GatewayException.InvalidRequest(
                    "Invalid value for 'dimensions': expected a positive integer.", "dimensions");
        }
        return d.asInt();
    }

    public static boolean base64(JsonNode body) {
        JsonNode f = body.get("encoding_format");
        if (f == null || f.isNull()) {
            return false;
        }
        if (!f.isTextual() || !(f.asText().equals("float") || f.asText().equals("base64"))) {
            throw new GatewayException.InvalidRequest(
                    "Invalid value for 'encoding_format': expected 'float' or 'base64'.", "encoding_format");
        }
        return f.asText().equals("base64");
    }

    public static ObjectNode answer(String model, List<JsonNode> vectors, long promptTokens, boolean base64) {
        ObjectNode body = Json.object();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            if (base64) {
                item.put("embedding", toBase64(vectors.get(i)));
            } else {
                item.set("embedding", vectors.get(i));
            }
        }
        body.put("model", model);
        ObjectNode usage = body.putObject("usage");
        usage.put("prompt_tokens", promptTokens);
        usage.put("total_tokens", promptTokens);
        return body;
    }

    private static String toBase64(JsonNode vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        vector.forEach(v -> buffer.putFloat((float) v.asDouble()));
        return Base64.getEncoder().encodeToString(buffer.array());
    }
}
