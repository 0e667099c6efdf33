package io.modelmaestro.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.json.Json;
import io.modelmaestro.sse.SseDecoder;
import io.modelmaestro.sse.SseEvent;
import io.modelmaestro.sse.SseWriter;
import io.modelmaestro.wire.responses.ResponsesResponseCodec;
import io.modelmaestro.wire.responses.ResponsesStreamEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The passthrough path for Responses streams (a node that serves {@code /v1/responses} itself): every event is
 * forwarded as the upstream wrote it, except that the {@code response} object of the lifecycle events ({@code
 * response.created}, {@code .in_progress}, {@code .completed}, {@code .incomplete}, {@code .failed}) gets the model
 * name the client asked for. The final response is handed to {@code finalSink} (usage for the activity log, the
 * response for {@code previous_response_id}).
 *
 * <p>Created per stream; not thread-safe.
 */
public final class ResponsesSseRewriter {

    private final SseDecoder sse = new SseDecoder();
    private final String displayModel;
    private final Consumer<Usage> usageSink;
    private final Consumer<ObjectNode> finalSink;
    private @Nullable ObjectNode lastResponse;
    private long lastSequence = -1;
    private boolean terminal;

    public ResponsesSseRewriter(String displayModel, Consumer<Usage> usageSink, Consumer<ObjectNode> finalSink) {
        this.displayModel = displayModel;
        this.usageSink = usageSink;
        this.finalSink = finalSink;
    }

    public List<byte[]> feed(byte[] chunk) {
        return rewrite(sse.feed(chunk));
    }

    public List<byte[]> finish() {
        return rewrite(sse.finish());
    }

    /** The in-band end of a stream that broke after its first byte: {@code response.failed}, numbered after the last. */
    public List<byte[]> failed(GatewayException error) {
        if (terminal) {
            return List.of();
        }
        terminal = true;
        ObjectNode response = lastResponse == null ? Json.object() : lastResponse.deepCopy();
        response.put("status", "failed");
        ObjectNode err = response.putObject("error");
        err.put("code", ResponsesStreamEncoder.errorCode(error));
        err.put("message", error.getMessage());
        ObjectNode event = Json.object();
        event.put("type", "response.failed");
        event.put("sequence_number", lastSequence + 1);
        event.set("response", response);
        return List.of(SseWriter.event("response.failed", Json.write(event)));
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
            JsonNode seq = json.get("sequence_number");
            if (seq != null && seq.canConvertToLong()) {
                lastSequence = Math.max(lastSequence, seq.asLong());
            }
            String type = json.path("type").asText("");
            boolean rewritten = false;
            if (json.get("response") instanceof ObjectNode response) {
                if (response.has("model")) {
                    response.put("model", displayModel);
                    rewritten = true;
                }
                lastResponse = response;
                if (type.equals("response.completed")
                        || type.equals("response.incomplete")
                        || type.equals("response.failed")) {
                    terminal = true;
                    usageSink.accept(ResponsesResponseCodec.usage(response.get("usage")));
                    finalSink.accept(response);
                }
            }
            boolean multiline = event.data().indexOf('\n') >= 0;
            String name = event.event() != null ? event.event() : type.isEmpty() ? null : type;
            out.add(SseWriter.event(name, rewritten || multiline ? Json.write(json) : data));
        }
        return out;
    }
}
