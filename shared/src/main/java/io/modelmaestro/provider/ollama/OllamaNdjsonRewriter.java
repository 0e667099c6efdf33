package io.modelmaestro.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.json.Json;
import io.modelmaestro.sse.NdjsonDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The passthrough path's view of an Ollama NDJSON stream: each line is re-emitted as soon as it is complete, with
 * {@code model} replaced by the name the client asked for; the final line's {@code prompt_eval_count} and {@code
 * eval_count} are reported as usage, and an in-band {@code {"error": ...}} line is reported too (and forwarded as
 * it is: it is already in the client's format). Lines that are not JSON objects pass through unchanged.
 *
 * <p>Created per stream; not thread-safe.
 */
public final class OllamaNdjsonRewriter {

    private final NdjsonDecoder lines = new NdjsonDecoder();
    private final String displayModel;
    private final Consumer<Usage> onUsage;
    private final Consumer<String> onError;

    public OllamaNdjsonRewriter(String displayModel, Consumer<Usage> onUsage, Consumer<String> onError) {
        this.displayModel = displayModel;
        this.onUsage = onUsage;
        this.onError = onError;
    }

    public List<byte[]> feed(byte[] chunk) {
        return rewrite(lines.feed(chunk));
    }

    public List<byte[]> finish() {
        return rewrite(lines.finish());
    }

    private List<byte[]> rewrite(List<String> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        List<byte[]> out = new ArrayList<>(batch.size());
        for (String line : batch) {
            JsonNode node = Json.tryParse(line.getBytes(StandardCharsets.UTF_8));
            if (node instanceof ObjectNode object) {
                out.add(withNewline(Json.write(rewriteObject(object, displayModel, onUsage, onError))));
            } else {
                out.add(withNewline(line.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    /** One answer object (a stream line or a whole unary answer): model renamed, usage and errors reported. */
    public static ObjectNode rewriteObject(
            ObjectNode object, String displayModel, Consumer<Usage> onUsage, Consumer<String> onError) {
        if (object.has("model")) {
            object.put("model", displayModel);
        }
        Usage usage = usage(object);
        if (usage != null) {
            onUsage.accept(usage);
        }
        JsonNode error = object.get("error");
        if (error != null && !error.isNull()) {
            onError.accept(error.isTextual() ? error.asText() : error.toString());
        }
        return object;
    }

    /** Usage from a final object ({@code prompt_eval_count}, {@code eval_count}); null when it carries none. */
    public static @Nullable Usage usage(JsonNode object) {
        JsonNode prompt = object.get("prompt_eval_count");
        JsonNode completion = object.get("eval_count");
        if ((prompt == null || !prompt.isNumber()) && (completion == null || !completion.isNumber())) {
            return null;
        }
        return new Usage(prompt == null ? 0 : prompt.asLong(0), completion == null ? 0 : completion.asLong(0));
    }

    private static byte[] withNewline(byte[] json) {
        byte[] out = new byte[json.length + 1];
        System.arraycopy(json, 0, out, 0, json.length);
        out[json.length] = '\n';
        return out;
    }
}
