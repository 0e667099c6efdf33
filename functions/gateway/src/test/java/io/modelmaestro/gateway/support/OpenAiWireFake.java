package io.modelmaestro.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scripts a {@link FakeUpstream} to answer like an OpenAI-compatible server (vLLM, OpenAI, or Ollama's /v1 layer):
 * it echoes the requested model, answers text split into several SSE chunks, calls the first tool when tools are
 * given and no tool result is present yet, honours {@code stream_options.include_usage}, and serves {@code
 * /v1/models} and {@code /v1/embeddings}. {@code ollamaStyle} makes reasoning arrive in Ollama's {@code reasoning}
 * delta field and the fingerprint read {@code fp_ollama}.
 */
public final class OpenAiWireFake {

    public static final String ANSWER = "Hello from the fake upstream!";

    private OpenAiWireFake() {}

    public static FakeUpstream install(FakeUpstream upstream, List<String> models, boolean ollamaStyle) {
        return install(upstream, models, ollamaStyle, Duration.ofMillis(5));
    }

    public static FakeUpstream install(
            FakeUpstream upstream, List<String> models, boolean ollamaStyle, Duration interval) {
        upstream.on("POST", "/v1/chat/completions", r -> chat(Json.parse(r.body()), ollamaStyle, interval));
        upstream.on("POST", "/v1/completions", r -> completion(Json.parse(r.body()), interval));
        upstream.on("POST", "/v1/embeddings", r -> embeddings(Json.parse(r.body())));
        upstream.on("GET", "/v1/models", r -> modelList(models));
        return upstream;
    }

    static FakeUpstream.Reply modelList(List<String> models) {
        ObjectNode body = Json.object();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        for (String m : models) {
            ObjectNode o = data.addObject();
            o.put("id", m);
            o.put("object", "model");
            o.put("created", 1700000000);
            o.put("owned_by", "fake");
            o.put("max_model_len", 32768);
        }
        return FakeUpstream.Reply.json(200, Json.writeString(body));
    }

    static boolean wantsTool(JsonNode req) {
        if (!req.path("tools").isArray() || req.path("tools").isEmpty()) {
            return false;
        }
        for (JsonNode m : req.path("messages")) {
            if ("tool".equals(m.path("role").asText())) {
                return false;
            }
        }
        return true;
    }

    static String lastToolResult(JsonNode req) {
        String result = null;
        for (JsonNode m : req.path("messages")) {
            if ("tool".equals(m.path("role").asText())) {
                result = m.path("content").asText();
            }
        }
        return result;
    }

    static FakeUpstream.Reply chat(JsonNode req, boolean ollamaStyle, Duration interval) {
        String model = req.path("model").asText();
        boolean tool = wantsTool(req);
        String toolName =
                tool ? req.path("tools").get(0).path("function").path("name").asText() : null;
        String toolResult = lastToolResult(req);
        String answer = toolResult == null ? ANSWER : "The tool said: " + toolResult;
        if (!req.path("stream").asBoolean(false)) {
            ObjectNode body = base(model, "chat.completion", ollamaStyle);
            ObjectNode choice = body.putArray("choices").addObject();
            choice.put("index", 0);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            if (tool) {
                message.put("content", "");
                ObjectNode call = message.putArray("tool_calls").addObject();
                call.put("id", "call_abc123");
                call.put("type", "function");
                call.putObject("function").put("name", toolName).put("arguments", "{\"city\":\"Paris\"}");
                choice.put("finish_reason", "tool_calls");
            } else {
                message.put("content", answer);
                if (ollamaStyle) {
                    message.put("reasoning", "thinking...");
                }
                choice.put("finish_reason", "stop");
            }
            body.set("usage", usage(12, 7));
            return FakeUpstream.Reply.json(200, Json.writeString(body));
        }
        List<String> frames = new ArrayList<>();
        frames.add(frame(chunk(
                model, ollamaStyle, delta -> delta.put("role", "assistant").put("content", ""), null)));
        if (ollamaStyle) {
            frames.add(frame(chunk(model, true, delta -> delta.put("reasoning", "thinking..."), null)));
        }
        if (tool) {
            frames.add(frame(chunk(
                    model,
                    ollamaStyle,
                    delta -> {
                        ObjectNode call = delta.putArray("tool_calls").addObject();
                        call.put("index", 0);
                        call.put("id", "call_abc123");
                        call.put("type", "function");
                        call.putObject("function").put("name", toolName).put("arguments", "");
                    },
                    null)));
            for (String part : List.of("{\"ci", "ty\":\"Par", "is\"}")) {
                frames.add(frame(chunk(
                        model,
                        ollamaStyle,
                        delta -> {
                            ObjectNode call = delta.putArray("tool_calls").addObject();
                            call.put("index", 0);
                            call.putObject("function").put("arguments", part);
                        },
                        null)));
            }
            frames.add(frame(chunk(model, ollamaStyle, delta -> {}, "tool_calls")));
        } else {
            for (String part : split(answer)) {
                frames.add(frame(chunk(model, ollamaStyle, delta -> delta.put("content", part), null)));
            }
            frames.add(frame(chunk(model, ollamaStyle, delta -> {}, "stop")));
        }
        if (req.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode u = base(model, "chat.completion.chunk", ollamaStyle);
            u.putArray("choices");
            u.set("usage", usage(12, 7));
            frames.add(frame(Json.writeString(u)));
        }
        frames.add("data: [DONE]\n\n");
        return FakeUpstream.Reply.sse(frames, interval);
    }

    static FakeUpstream.Reply completion(JsonNode req, Duration interval) {
        String model = req.path("model").asText();
        if (!req.path("stream").asBoolean(false)) {
            ObjectNode body = base(model, "text_completion", false);
            ObjectNode choice = body.putArray("choices").addObject();
            choice.put("index", 0);
            choice.put("text", "completed text");
            choice.put("finish_reason", "stop");
            body.set("usage", usage(3, 2));
            return FakeUpstream.Reply.json(200, Json.writeString(body));
        }
        List<String> frames = new ArrayList<>();
        for (String part : List.of("completed", " text")) {
            ObjectNode c = base(model, "text_completion", false);
            ObjectNode choice = c.putArray("choices").addObject();
            choice.put("index", 0);
            choice.put("text", part);
            choice.putNull("finish_reason");
            frames.add(frame(Json.writeString(c)));
        }
        frames.add("data: [DONE]\n\n");
        return FakeUpstream.Reply.sse(frames, interval);
    }

    static FakeUpstream.Reply embeddings(JsonNode req) {
        String model = req.path("model").asText();
        JsonNode input = req.path("input");
        int count = input.isArray() ? input.size() : 1;
        ObjectNode body = Json.object();
        body.put("object", "list");
        body.put("model", model);
        ArrayNode data = body.putArray("data");
        for (int i = 0; i < count; i++) {
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            e.put("index", i);
            ArrayNode v = e.putArray("embedding");
            v.add(0.1 * (i + 1));
            v.add(0.2);
            v.add(-0.3);
        }
        body.set("usage", usage(4 * count, 0));
        return FakeUpstream.Reply.json(200, Json.writeString(body));
    }

    static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 6) {
            parts.add(text.substring(i, Math.min(text.length(), i + 6)));
        }
        return parts;
    }

    static ObjectNode usage(int prompt, int completion) {
        ObjectNode u = Json.object();
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        return u;
    }

    static ObjectNode base(String model, String object, boolean ollamaStyle) {
        ObjectNode o = Json.object();
        o.put("id", "chatcmpl-fake1");
        o.put("object", object);
        o.put("created", 1700000000);
        o.put("model", model);
        o.put("system_fingerprint", ollamaStyle ? "fp_ollama" : "fp_fake");
        return o;
    }

    static String chunk(
            String model, boolean ollamaStyle, java.util.function.Consumer<ObjectNode> delta, String finish) {
        ObjectNode c = base(model, "chat.completion.chunk", ollamaStyle);
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode d = choice.putObject("delta");
        delta.accept(d);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return Json.writeString(c);
    }

    public static String frame(String json) {
        return "data: " + json + "\n\n";
    }
}
