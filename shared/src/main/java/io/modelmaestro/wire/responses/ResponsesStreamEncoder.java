package io.modelmaestro.wire.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.model.FinishReason;
import io.modelmaestro.core.model.Usage;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.json.Json;
import io.modelmaestro.sse.SseWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Canonical {@link StreamEvent}s → the Responses API's event sequence, as OpenAI sends it: {@code response.created},
 * {@code response.in_progress}, then per output item {@code response.output_item.added}, its part and delta events
 * and {@code response.output_item.done}, and last {@code response.completed} (or {@code response.incomplete}) with
 * the whole response and its usage. Every event carries a {@code sequence_number} and goes out as an SSE frame whose
 * {@code event:} line equals its {@code type}. The exact sequences are in docs/responses.md and the golden files.
 *
 * <p>Created per stream; not thread-safe.
 */
public final class ResponsesStreamEncoder {

    private final ObjectNode response;
    private final ResponsesRequest request;
    private final String responseId;
    private final boolean summaries;
    private final ArrayNode done = Json.array();
    private final Map<Integer, Open> open = new LinkedHashMap<>();
    private long sequence;
    private boolean started;
    private boolean finished;
    private FinishReason reason = FinishReason.STOP;
    private @Nullable Usage usage;

    /** An output item being streamed. */
    private static final class Open {
        final StreamEvent.BlockKind kind;
        final int outputIndex;
        final String itemId;
        final StringBuilder text = new StringBuilder();

        @Nullable
        String signature;

        final String callId;
        final String name;

        Open(StreamEvent.BlockKind kind, int outputIndex, String itemId, String callId, String name) {
            this.kind = kind;
            this.outputIndex = outputIndex;
            this.itemId = itemId;
            this.callId = callId;
            this.name = name;
        }
    }

    /**
     * @param summaries reasoning goes out as summary text (the client set {@code reasoning.summary}) rather than as
     *     raw {@code reasoning_text}
     */
    public ResponsesStreamEncoder(
            ResponsesRequest request, String responseId, String model, long createdAt, boolean summaries) {
        this.request = request;
        this.response = request.shell(responseId, model, createdAt);
        this.responseId = responseId;
        this.summaries = summaries;
    }

    public List<byte[]> encode(StreamEvent event) {
        List<byte[]> out = new ArrayList<>(2);
        start(out);
        switch (event) {
            case StreamEvent.MessageStart s -> {}
            case StreamEvent.BlockStart b -> open(b.index(), b.kind(), b.toolId(), b.toolName(), out);
            case StreamEvent.TextDelta d -> {
                Open o = ensure(d.index(), StreamEvent.BlockKind.TEXT, out);
                o.text.append(d.text());
                ObjectNode e = event("response.output_text.delta", o);
                e.put("content_index", 0);
                e.put("delta", d.text());
                e.putArray("logprobs");
                out.add(frame(e));
            }
            case StreamEvent.ReasoningDelta d -> {
                Open o = ensure(d.index(), StreamEvent.BlockKind.REASONING, out);
                if (d.signature() != null && !d.signature().isEmpty()) {
                    o.signature = o.signature == null ? d.signature() : o.signature + d.signature();
                }
                if (!d.text().isEmpty()) {
                    o.text.append(d.text());
                    ObjectNode e = event(
                            summaries ? "response.reasoning_summary_text.delta" : "response.reasoning_text.delta", o);
                    e.put(summaries ? "summary_index" : "content_index", 0);
                    e.put("delta", d.text());
                    out.add(frame(e));
                }
            }
            case StreamEvent.ToolArgsDelta d -> {
                Open o = ensure(d.index(), StreamEvent.BlockKind.TOOL_CALL, out);
                o.text.append(d.jsonFragment());
                ObjectNode e = event("response.function_call_arguments.delta", o);
                e.put("delta", d.jsonFragment());
                out.add(frame(e));
            }
            case StreamEvent.BlockStop b -> close(b.index(), out);
            case StreamEvent.UsageUpdate u -> usage = u.usage();
            case StreamEvent.MessageStop s -> reason = s.reason();
        }
        return out;
    }

    /** The closing events: open items are finished, then {@code response.completed} or {@code .incomplete}. */
    public List<byte[]> complete() {
        List<byte[]> out = new ArrayList<>();
        if (finished) {
            return out;
        }
        start(out);
        closeAll(out);
        finished = true;
        response.set("output", done.deepCopy());
        ResponsesResponseCodec.finish(response, reason, usage);
        String type =
                "incomplete".equals(response.path("status").asText()) ? "response.incomplete" : "response.completed";
        ObjectNode e = head(type);
        e.set("response", response.deepCopy());
        out.add(frame(e));
        return out;
    }

    /**
     * The in-band end of a stream that failed after its first byte: {@code response.failed}, whose response carries
     * the items finished so far and the error.
     */
    public List<byte[]> failed(GatewayException error) {
        List<byte[]> out = new ArrayList<>();
        if (finished) {
            return out;
        }
        start(out);
        finished = true;
        response.set("output", done.deepCopy());
        response.put("status", "failed");
        ObjectNode err = response.putObject("error");
        err.put("code", errorCode(error));
        err.put("message", error.getMessage());
        ObjectNode e = head("response.failed");
        e.set("response", response.deepCopy());
        out.add(frame(e));
        return out;
    }

    /** The finished response (after {@link #complete()}), as it is stored for {@code previous_response_id}. */
    public ObjectNode response() {
        return response;
    }

    public @Nullable Usage usage() {
        return usage;
    }

    public static String errorCode(GatewayException error) {
        return switch (error.kind()) {
            case RATE_LIMIT -> "rate_limit_exceeded";
            case INVALID_REQUEST -> "invalid_prompt";
            default -> "server_error";
        };
    }

    private void start(List<byte[]> out) {
        if (started) {
            return;
        }
        started = true;
        ObjectNode created = head("response.created");
        created.set("response", response.deepCopy());
        out.add(frame(created));
        ObjectNode progress = head("response.in_progress");
        progress.set("response", response.deepCopy());
        out.add(frame(progress));
    }

    private Open ensure(int index, StreamEvent.BlockKind kind, List<byte[]> out) {
        Open o = open.get(index);
        if (o == null) {
            o = open(index, kind, null, null, out);
        }
        return o;
    }

    private Open open(
            int index,
            StreamEvent.BlockKind kind,
            @Nullable String toolId,
            @Nullable String toolName,
            List<byte[]> out) {
        close(index, out);
        int outputIndex = done.size() + open.size();
        String prefix = switch (kind) {
            case TEXT -> "msg";
            case REASONING -> "rs";
            case TOOL_CALL -> "fc";
        };
        String itemId = ResponsesResponseCodec.itemId(prefix, responseId, outputIndex);
        String callId = toolId == null || toolId.isEmpty() ? "call_" + itemId.substring(3) : toolId;
        Open o = new Open(kind, outputIndex, itemId, callId, toolName == null ? "" : toolName);
        open.put(index, o);
        ObjectNode added = head("response.output_item.added");
        added.put("output_index", outputIndex);
        added.set(
                "item",
                switch (kind) {
                    case TEXT -> ResponsesResponseCodec.messageItem(itemId, "in_progress", null);
                    case REASONING -> ResponsesResponseCodec.reasoningItem(itemId, null, null, summaries);
                    case TOOL_CALL ->
                        ResponsesResponseCodec.functionCallItem(itemId, o.callId, o.name, "", "in_progress", request);
                });
        out.add(frame(added));
        switch (kind) {
            case TEXT -> {
                ObjectNode part = event("response.content_part.added", o);
                part.put("content_index", 0);
                part.set("part", ResponsesResponseCodec.outputText(""));
                out.add(frame(part));
            }
            case REASONING -> {
                if (summaries) {
                    ObjectNode part = event("response.reasoning_summary_part.added", o);
                    part.put("summary_index", 0);
                    part.set("part", ResponsesResponseCodec.summaryText(""));
                    out.add(frame(part));
                } else {
                    ObjectNode part = event("response.content_part.added", o);
                    part.put("content_index", 0);
                    part.set("part", reasoningText(""));
                    out.add(frame(part));
                }
            }
            case TOOL_CALL -> {}
        }
        return o;
    }

    private void closeAll(List<byte[]> out) {
        for (Integer index : List.copyOf(open.keySet())) {
            close(index, out);
        }
    }

    private void close(int index, List<byte[]> out) {
        Open o = open.remove(index);
        if (o == null) {
            return;
        }
        String text = o.text.toString();
        ObjectNode item = switch (o.kind) {
            case TEXT -> {
                ObjectNode textDone = event("response.output_text.done", o);
                textDone.put("content_index", 0);
                textDone.put("text", text);
                textDone.putArray("logprobs");
                out.add(frame(textDone));
                ObjectNode partDone = event("response.content_part.done", o);
                partDone.put("content_index", 0);
                partDone.set("part", ResponsesResponseCodec.outputText(text));
                out.add(frame(partDone));
                yield ResponsesResponseCodec.messageItem(o.itemId, "completed", text);
            }
            case REASONING -> {
                if (summaries) {
                    ObjectNode textDone = event("response.reasoning_summary_text.done", o);
                    textDone.put("summary_index", 0);
                    textDone.put("text", text);
                    out.add(frame(textDone));
                    ObjectNode partDone = event("response.reasoning_summary_part.done", o);
                    partDone.put("summary_index", 0);
                    partDone.set("part", ResponsesResponseCodec.summaryText(text));
                    out.add(frame(partDone));
                } else {
                    ObjectNode textDone = event("response.reasoning_text.done", o);
                    textDone.put("content_index", 0);
                    textDone.put("text", text);
                    out.add(frame(textDone));
                    ObjectNode partDone = event("response.content_part.done", o);
                    partDone.put("content_index", 0);
                    partDone.set("part", reasoningText(text));
                    out.add(frame(partDone));
                }
                yield ResponsesResponseCodec.reasoningItem(o.itemId, text, o.signature, summaries);
            }
            case TOOL_CALL -> {
                String arguments = text.isEmpty() ? "{}" : text;
                ObjectNode argsDone = event("response.function_call_arguments.done", o);
                argsDone.put("arguments", arguments);
                out.add(frame(argsDone));
                yield ResponsesResponseCodec.functionCallItem(
                        o.itemId, o.callId, o.name, arguments, "completed", request);
            }
        };
        ObjectNode itemDone = head("response.output_item.done");
        itemDone.put("output_index", o.outputIndex);
        itemDone.set("item", item);
        out.add(frame(itemDone));
        done.add(item);
    }

    private static ObjectNode reasoningText(String text) {
        ObjectNode part = Json.object();
        part.put("type", "reasoning_text");
        part.put("text", text);
        return part;
    }

    private ObjectNode head(String type) {
        ObjectNode e = Json.object();
        e.put("type", type);
        e.put("sequence_number", sequence++);
        return e;
    }

    private ObjectNode event(String type, Open o) {
        ObjectNode e = head(type);
        e.put("item_id", o.itemId);
        e.put("output_index", o.outputIndex);
        return e;
    }

    private static byte[] frame(ObjectNode event) {
        return SseWriter.event(event.path("type").asText(), Json.write(event));
    }
}
