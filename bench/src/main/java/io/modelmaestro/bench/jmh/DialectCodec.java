package io.modelmaestro.bench.jmh;

import io.modelmaestro.core.stream.StreamEvent;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A client dialect's hot paths as {@link DialectBench} drives them: decode a request body into the canonical request,
 * and encode canonical stream events into the dialect's frames.
 *
 * <p><b>Extension point:</b> when the Anthropic and Ollama dialects land ({@code wire.anthropic}, {@code wire.ollama}),
 * add a codec here (sample bodies in {@link Samples}) and its name to {@code DialectBench}'s {@code dialect}
 * parameter; nothing else changes. Upstream (provider-side) stream parsing is in {@link ProviderStreamBench}.
 */
interface DialectCodec {

    /** Decodes a request body exactly as the pipeline does (parse once, then the dialect's decoder/validator). */
    Object decodeRequest(byte[] body);

    /** A new per-stream encoder. */
    StreamEncoder newStream();

    /** Sample request bodies by size name ({@code small}: one turn; {@code agent}: a coding agent's turn with tools). */
    byte[] sample(String size);

    interface StreamEncoder {
        List<byte[]> encode(StreamEvent event);
    }

    Map<String, Supplier<DialectCodec>> REGISTRY = Map.of("openai", OpenAiCodec::new);

    static DialectCodec of(String name) {
        Supplier<DialectCodec> s = REGISTRY.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no codec for dialect " + name + "; known: " + REGISTRY.keySet());
        }
        return s.get();
    }
}
