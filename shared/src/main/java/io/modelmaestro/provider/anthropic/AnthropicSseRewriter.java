package io.modelmaestro.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.json.Json;
import io.modelmaestro.sse.SseDecoder;
import io.modelmaestro.sse.SseEvent;
import io.modelmaestro.sse.SseWriter;
import io.modelmaestro.wire.anthropic.AnthropicStreamDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The passthrough path for Anthropic streams (an Anthropic client on an {@code anthropic} node): every event is
 * forwarded as the upstream wrote it, except {@code message_start}, whose {@code message.model} becomes the name the
 * client asked for. Usage is read on the way (for the activity log), and an upstream {@code event: error} is
 * forwarded and reported.
 *
 * <p>Created per stream; not thread-safe.
 */
public final class AnthropicSseRewriter {

    private final SseDecoder sse = new SseDecoder();
    private final AnthropicStreamDecoder usage = new AnthropicStreamDecoder();
    private final String displayModel;
    private final String node;
    private final Consumer<Usage> usageSink;
    private final Consumer<GatewayException> errorSink;

    public AnthropicSseRewriter(
            String displayModel, String node, Consumer<Usage> usageSink, Consumer<GatewayException> errorSink) {
        this.displayModel = displayModel;
        this.node = node;
        this.usageSink = usageSink;
        this.errorSink = errorSink;
    }

    public List<byte[]> feed(byte[] chunk) {
        return rewrite(sse.feed(chunk));
    }

    public List<byte[]> finish() {
        return rewrite(sse.finish());
    }

    private List<byte[]> rewrite(List<SseEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        List<byte[]> out = new ArrayList<>(events.size());
        for (SseEvent event : events) {
            byte[] data = event.data().getBytes(StandardCharsets.UTF_8);
            JsonNode node = Json.tryParse(data);
            if (!(node instanceof ObjectNode json)) {
                out.add(SseWriter.event(event.event(), data));
                continue;
            }
            String type = json.path("type").asText("");
            usage.decode(json);
            boolean rewritten = false;
            switch (type) {
                case "message_start" -> {
                    if (json.get("message") instanceof ObjectNode message && message.has("model")) {
                        message.put("model", displayModel);
                        rewritten = true;
                    }
                    usageSink.accept(usage.usage());
                }
                case "message_delta" -> usageSink.accept(usage.usage());
                case "error" -> {
                    AnthropicStreamDecoder.UpstreamStreamError error = usage.error();
                    if (error != null) {
                        errorSink.accept(AnthropicProvider.streamError(error, this.node));
                    }
                }
                default -> {}
            }
            // Events are one JSON line; anything that spanned lines is re-serialised so it stays one event.
            boolean multiline = event.data().indexOf('\n') >= 0;
            out.add(SseWriter.event(event.event(), rewritten || multiline ? Json.write(json) : data));
        }
        return out;
    }
}
