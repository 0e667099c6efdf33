package io.modelmaestro.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scripts a {@link FakeUpstream} to answer like Anthropic's Messages API, byte for byte in its SSE event stream
 * ({@code event: message_start}, {@code ping}, {@code content_block_start/delta/stop}, {@code message_delta}, {@code
 * message_stop}):
 *
 * <ul>
 *   <li>the model is echoed; with {@code thinking} enabled a thinking block with a signature comes first;
 *   <li>with tools and no {@code tool_result} in the last user turn, it calls the first tool with {@link #TOOL_INPUT},
 *       whose JSON streams in four-character fragments;
 *   <li>otherwise it answers {@code "The tool said: <result>"} after a tool result, {@code "I see N image(s)."} when
 *       the last user turn has images, else {@link #ANSWER};
 *   <li>stop reason: {@code tool_use}; {@code stop_sequence} (the first of the request's) when it has any; {@code
 *       max_tokens} when {@code max_tokens} is under 16; else {@code end_turn};
 *   <li>usage: 20 uncached input tokens, 100 read from the cache, 5 written to it, 9 output tokens.
 * </ul>
 *
 * It also serves {@code /v1/messages/count_tokens} ({@value #COUNT} tokens) and {@code /v1/models}.
 */
public final class AnthropicWireFake {

    public static final String ANSWER = "Hello from the fake Anthropic node!";
    public static final String THINKING = "Let me think about this carefully.";
    public static final String SIGNATURE = "EqQBCkYIBxgCKkDfakeSignature==";
    public static final String TOOL_INPUT = "{\"city\":\"Paris\",\"days\":3,\"units\":\"metric\"}";
    public static final String TOOL_ID = "toolu_01FakeToolUse";
    public static final int COUNT = 4242;

    private AnthropicWireFake() {}

    public static FakeUpstream install(FakeUpstream upstream, List<String> models) {
        return install(upstream, models, Duration.ofMillis(5));
    }

    public static FakeUpstream install(FakeUpstream upstream, List<String> models, Duration interval) {
        upstream.on("POST", "/v1/messages", r -> messages(Json.parse(r.body()), interval));
        upstream.on(
                "POST",
                "/v1/messages/count_tokens",
                r -> FakeUpstream.Reply.json(200, "{\"input_tokens\":" + COUNT + "}"));
        upstream.on("GET", "/v1/models", r -> modelList(models));
        return upstream;
    }

    static FakeUpstream.Reply modelList(List<String> models) {
        ObjectNode body = Json.object();
        ArrayNode data = body.putArray("data");
        for (String m : models) {
            ObjectNode o = data.addObject();
            o.put("type", "model");
            o.put("id", m);
            o.put("display_name", m);
            o.put("created_at", "2025-02-19T00:00:00Z");
        }
        body.put("has_more", false);
        body.put("first_id", models.isEmpty() ? null : models.get(0));
        body.put("last_id", models.isEmpty() ? null : models.get(models.size() - 1));
        return FakeUpstream.Reply.json(200, Json.writeString(body));
    }

    /** One block of the answer. */
    public record Block(String type, String text, String signature, String toolName) {
        public static Block text(String text) {
            return new Block("text", text, null, null);
        }
    }

    static FakeUpstream.Reply messages(JsonNode req, Duration interval) {
        String model = req.path("model").asText();
        List<Block> blocks = new ArrayList<>();
        if ("enabled".equals(req.path("thinking").path("type").asText())) {
            blocks.add(new Block("thinking", THINKING, SIGNATURE, null));
        }
        JsonNode last = lastUser(req);
        String toolResult = null;
        int images = 0;
        for (JsonNode block : last.path("content")) {
            String type = block.path("type").asText();
            if (type.equals("tool_result")) {
                JsonNode content = block.path("content");
                if (content.isTextual()) {
                    toolResult = content.asText();
                } else {
                    StringBuilder text = new StringBuilder();
                    for (JsonNode part : content) {
                        if (part.path("type").asText().equals("image")) {
                            images++;
                        } else {
                            text.append(part.path("text").asText());
                        }
                    }
                    toolResult = text.toString();
                }
            } else if (type.equals("image")) {
                images++;
            }
        }
        boolean tool = req.path("tools").isArray() && !req.path("tools").isEmpty() && toolResult == null;
        String stopReason = "end_turn";
        String stopSequence = null;
        if (tool) {
            blocks.add(new Block(
                    "tool_use",
                    TOOL_INPUT,
                    null,
                    req.path("tools").get(0).path("name").asText()));
            stopReason = "tool_use";
        } else {
            String text = toolResult != null
                    ? "The tool said: " + toolResult
                    : images > 0 ? "I see " + images + " image(s)." : ANSWER;
            blocks.add(new Block("text", text, null, null));
            if (req.path("stop_sequences").isArray()
                    && !req.path("stop_sequences").isEmpty()) {
                stopReason = "stop_sequence";
                stopSequence = req.path("stop_sequences").get(0).asText();
            } else if (req.path("max_tokens").asInt(1000) < 16) {
                stopReason = "max_tokens";
            }
        }
        if (!req.path("stream").asBoolean(false)) {
            return FakeUpstream.Reply.json(200, Json.writeString(message(model, blocks, stopReason, stopSequence)));
        }
        return FakeUpstream.Reply.sse(stream(model, blocks, stopReason, stopSequence), interval);
    }

    static JsonNode lastUser(JsonNode req) {
        JsonNode last = Json.object();
        for (JsonNode m : req.path("messages")) {
            if (m.path("role").asText().equals("user")) {
                last = m;
            }
        }
        return last;
    }

    static ObjectNode usage(boolean start) {
        ObjectNode u = Json.object();
        u.put("input_tokens", 20);
        u.put("cache_creation_input_tokens", 5);
        u.put("cache_read_input_tokens", 100);
        u.put("output_tokens", start ? 1 : 9);
        return u;
    }

    static ObjectNode message(String model, List<Block> blocks, String stopReason, String stopSequence) {
        ObjectNode body = Json.object();
        body.put("id", "msg_01FakeMessage");
        body.put("type", "message");
        body.put("role", "assistant");
        body.put("model", model);
        ArrayNode content = body.putArray("content");
        for (Block b : blocks) {
            content.add(blockJson(b, true));
        }
        body.put("stop_reason", stopReason);
        body.put("stop_sequence", stopSequence);
        body.set("usage", usage(false));
        return body;
    }

    static ObjectNode blockJson(Block b, boolean full) {
        ObjectNode o = Json.object();
        o.put("type", b.type());
        switch (b.type()) {
            case "thinking" -> {
                o.put("thinking", full ? b.text() : "");
                o.put("signature", full ? b.signature() : "");
            }
            case "text" -> o.put("text", full ? b.text() : "");
            case "tool_use" -> {
                o.put("id", TOOL_ID);
                o.put("name", b.toolName());
                o.set("input", full ? Json.parse(b.text()) : Json.object());
            }
            default -> throw new IllegalArgumentException(b.type());
        }
        return o;
    }

    /** The event stream of a message made of {@code blocks}, as Anthropic writes it. */
    public static List<String> stream(String model, List<Block> blocks, String stopReason, String stopSequence) {
        List<String> frames = new ArrayList<>();
        ObjectNode start = Json.object();
        start.put("type", "message_start");
        ObjectNode message = start.putObject("message");
        message.put("id", "msg_01FakeMessage");
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", usage(true));
        frames.add(event("message_start", start));
        frames.add("event: ping\ndata: {\"type\": \"ping\"}\n\n");
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            ObjectNode blockStart = Json.object();
            blockStart.put("type", "content_block_start");
            blockStart.put("index", i);
            blockStart.set("content_block", blockJson(b, false));
            frames.add(event("content_block_start", blockStart));
            int size = b.type().equals("tool_use") ? 4 : 6;
            for (int at = 0; at < b.text().length(); at += size) {
                String piece = b.text().substring(at, Math.min(b.text().length(), at + size));
                ObjectNode delta = Json.object();
                switch (b.type()) {
                    case "thinking" -> delta.put("type", "thinking_delta").put("thinking", piece);
                    case "text" -> delta.put("type", "text_delta").put("text", piece);
                    default -> delta.put("type", "input_json_delta").put("partial_json", piece);
                }
                frames.add(event("content_block_delta", delta(i, delta)));
            }
            if (b.type().equals("thinking")) {
                ObjectNode sig = Json.object();
                sig.put("type", "signature_delta");
                sig.put("signature", b.signature());
                frames.add(event("content_block_delta", delta(i, sig)));
            }
            ObjectNode stop = Json.object();
            stop.put("type", "content_block_stop");
            stop.put("index", i);
            frames.add(event("content_block_stop", stop));
        }
        ObjectNode messageDelta = Json.object();
        messageDelta.put("type", "message_delta");
        ObjectNode delta = messageDelta.putObject("delta");
        delta.put("stop_reason", stopReason);
        delta.put("stop_sequence", stopSequence);
        ObjectNode u = messageDelta.putObject("usage");
        u.put("output_tokens", 9);
        frames.add(event("message_delta", messageDelta));
        frames.add(event("message_stop", Json.object().put("type", "message_stop")));
        return frames;
    }

    static ObjectNode delta(int index, ObjectNode delta) {
        ObjectNode o = Json.object();
        o.put("type", "content_block_delta");
        o.put("index", index);
        o.set("delta", delta);
        return o;
    }

    public static String event(String name, JsonNode data) {
        return "event: " + name + "\ndata: " + Json.writeString(data) + "\n\n";
    }
}
