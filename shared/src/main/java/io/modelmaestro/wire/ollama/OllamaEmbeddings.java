package io.modelmaestro.wire.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.error.GatewayException.InvalidRequest;
import io.modelmaestro.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Ollama's two embedding endpoints, and their translation to and from OpenAI's {@code /v1/embeddings} for nodes
 * that are not Ollama: {@code /api/embed} ({@code input}: a string or strings → {@code embeddings}) and the older
 * {@code /api/embeddings} ({@code prompt}: one string → {@code embedding}). {@code truncate}, {@code options} and
 * {@code keep_alive} are Ollama-only; {@code dimensions} maps to OpenAI's {@code dimensions}.
 */
public final class OllamaEmbeddings {

    private OllamaEmbeddings() {}

    /** A validated embedding request. {@code legacy} is {@code /api/embeddings}. */
    public record Request(
            String model,
            List<String> inputs,
            boolean legacy,
            @Nullable Integer dimensions) {
        public Request {
            inputs = List.copyOf(inputs);
        }
    }

    public static Request decodeEmbed(JsonNode body) {
        String model = OllamaRequestDecoder.requiredModel(body);
        JsonNode input = body.get("input");
        List<String> inputs = new ArrayList<>();
        if (input == null || input.isNull()) {
            throw new InvalidRequest("'input' is required", "input");
        }
        if (input.isTextual()) {
            inputs.add(input.asText());
        } else if (input.isArray()) {
            if (input.isEmpty()) {
                throw new InvalidRequest("'input' must not be empty", "input");
            }
            for (JsonNode i : input) {
                if (!i.isTextual()) {
                    throw new InvalidRequest("invalid type for 'input': expected a string or strings", "input");
                }
                inputs.add(i.asText());
            }
        } else {
            throw new InvalidRequest("invalid type for 'input': expected a string or strings", "input");
        }
        JsonNode dims = body.get("dimensions");
        Integer dimensions = null;
        if (dims != null && !dims.isNull()) {
            if (!dims.isIntegralNumber() || !dims.canConvertToInt() || dims.asInt() <= 0) {
                throw new InvalidRequest("invalid value for 'dimensions': expected a positive integer", "dimensions");
            }
            dimensions = dims.asInt();
        }
        JsonNode truncate = body.get("truncate");
        if (truncate != null && !truncate.isNull() && !truncate.isBoolean()) {
            throw new InvalidRequest("invalid type for 'truncate': expected a boolean", "truncate");
        }
        checkOptions(body);
        return new Request(model, inputs, false, dimensions);
    }

    public static Request decodeLegacy(JsonNode body) {
        String model = OllamaRequestDecoder.requiredModel(body);
        String prompt = OllamaRequestDecoder.optionalString(body, "prompt", "prompt");
        if (prompt == null) {
            throw new InvalidRequest("'prompt' is required", "prompt");
        }
        checkOptions(body);
        return new Request(model, List.of(prompt), true, null);
    }

    private static void checkOptions(JsonNode body) {
        JsonNode options = body.get("options");
        if (options != null && !options.isNull() && !options.isObject()) {
            throw new InvalidRequest("invalid type for 'options': expected an object", "options");
        }
    }

    /** The OpenAI {@code /v1/embeddings} body for a non-Ollama node. */
    public static ObjectNode toOpenAi(Request request, String upstreamModel) {
        ObjectNode body = Json.object();
        body.put("model", upstreamModel);
        if (request.legacy()) {
            body.put("input", request.inputs().get(0));
        } else {
            ArrayNode input = body.putArray("input");
            request.inputs().forEach(input::add);
        }
        body.put("encoding_format", "float");
        if (request.dimensions() != null) {
            body.put("dimensions", request.dimensions());
        }
        return body;
    }

    /** The vectors of an OpenAI embeddings answer, in input order. */
    public static List<JsonNode> vectorsFromOpenAi(JsonNode answer) {
        List<JsonNode> vectors = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (JsonNode item : answer.path("data")) {
            JsonNode vector = item.get("embedding");
            if (vector == null || !vector.isArray()) {
                continue;
            }
            int index = item.path("index").asInt(vectors.size());
            int at = 0;
            while (at < order.size() && order.get(at) < index) {
                at++;
            }
            order.add(at, index);
            vectors.add(at, vector);
        }
        return vectors;
    }

    /** {@code /api/embed}'s answer. */
    public static ObjectNode embedAnswer(String model, List<JsonNode> vectors, long promptTokens, long totalNanos) {
        ObjectNode body = Json.object();
        body.put("model", model);
        ArrayNode embeddings = body.putArray("embeddings");
        vectors.forEach(embeddings::add);
        body.put("total_duration", totalNanos);
        body.put("load_duration", 0);
        body.put("prompt_eval_count", promptTokens);
        return body;
    }

    /** {@code /api/embeddings}' answer. */
    public static ObjectNode legacyAnswer(List<JsonNode> vectors) {
        ObjectNode body = Json.object();
        body.set("embedding", vectors.isEmpty() ? Json.array() : vectors.get(0));
        return body;
    }
}
