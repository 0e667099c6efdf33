package io.modelmaestro.bench.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.json.Json;
import io.modelmaestro.wire.openai.OpenAiRequestDecoder;
import io.modelmaestro.wire.openai.OpenAiStreamEncoder;

/** The OpenAI chat-completions dialect ({@code wire.openai}). */
final class OpenAiCodec implements DialectCodec {

    @Override
    public Object decodeRequest(byte[] body) {
        return OpenAiRequestDecoder.decode((ObjectNode) Json.parse(body));
    }

    @Override
    public StreamEncoder newStream() {
        OpenAiStreamEncoder encoder = new OpenAiStreamEncoder("bench-model", "chatcmpl-bench", 1_700_000_000L, true);
        return encoder::encode;
    }

    @Override
    public byte[] sample(String size) {
        return Samples.openAiRequest(size);
    }
}
