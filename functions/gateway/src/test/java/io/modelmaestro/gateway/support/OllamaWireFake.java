package io.modelmaestro.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scripts a {@link FakeUpstream} to answer like an Ollama server's native API, byte for byte in Ollama's NDJSON:
 * {@code /api/chat} and {@code /api/generate} (streaming by default, one object with {@code "stream": false}; the
 * answer split over several lines; thinking lines first when {@code think} is on; the first tool called when tools
 * are given and no tool result is present yet; a final line with {@code done_reason}, counts and durations), {@code
 * /api/embed}, {@code /api/embeddings}, {@code /api/tags}, {@code /api/show} (404 for models it does not have), {@code
 * /api/ps}, {@code /api/version}, and the management endpoints ({@code /api/pull} writes its progress lines slowly).
 */
public final class OllamaWireFake {

    public static final String ANSWER = "Hello from the fake Ollama!";
    public static final String THINKING = "let me think";
    public static final String CREATED_AT = "2025-06-01T10:00:00.123456789Z";

    private OllamaWireFake() {}

    public static FakeUpstream install(FakeUpstream upstream, List<String> models) {
        return install(upstream, models, Duration.ofMillis(5), Duration.ofMillis(300));
    }

    public static FakeUpstream install(
            FakeUpstream upstream, List<String> models, Duration interval, Duration pullInterval) {
        upstream.on("POST", "/api/chat", r -> converse(Json.parse(r.body()), true, interval, models));
        upstream.on("POST", "/api/generate", r -> converse(Json.parse(r.body()), false, interval, models));
        upstream.on("POST", "/api/embed", r -> embed(Json.parse(r.body())));
        upstream.on("POST", "/api/embeddings", r -> legacyEmbeddings(Json.parse(r.body())));
        upstream.on("GET", "/api/tags", r -> tags(models));
        upstream.on("POST", "/api/show", r -> show(Json.parse(r.body()), models));
        upstream.on("GET", "/api/ps", r -> ps(models));
        upstream.on("GET", "/api/version", r -> FakeUpstream.Reply.json(200, "{\"version\":\"0.12.3\"}"));
        upstream.on("POST", "/api/pull", r -> progress(Json.parse(r.body()), pullInterval));
        upstream.on("POST", "/api/push", r -> progress(Json.parse(r.body()), Duration.ofMillis(5)));
        upstream.on("POST", "/api/create", r -> progress(Json.parse(r.body()), Duration.ofMillis(5)));
        upstream.on("POST", "/api/copy", r -> FakeUpstream.Reply.json(200, ""));
        upstream.on("DELETE", "/api/delete", r -> FakeUpstream.Reply.json(200, ""));
        return upstream;
    }

    static FakeUpstream.Reply converse(JsonNode req, boolean chat, Duration interval, List<String> models) {
        String model = req.path("model").asText();
        if (!models.contains(model)) {
            return FakeUpstream.Reply.json(
                    404, "{\"error\":\"model \\\"" + model + "\\\" not found, try pulling it first\"}");
        }
        boolean stream = req.path("stream").asBoolean(true);
        boolean think = req.path("think").asBoolean(false);
        boolean tool = chat && OpenAiWireFake.wantsTool(req);
        String toolResult = chat ? OpenAiWireFake.lastToolResult(req) : null;
        String answer = toolResult == null ? ANSWER : "The tool said: " + toolResult;
        if (req.path("messages").isEmpty() && chat
                || !chat && req.path("prompt").asText("").isEmpty()) {
            ObjectNode load = head(model);
            content(load, chat, "", null);
            load.put("done", true);
            load.put("done_reason", "load");
            return FakeUpstream.Reply.json(200, Json.writeString(load));
        }
        if (!stream) {
            ObjectNode body = head(model);
            content(body, chat, tool ? "" : answer, think ? THINKING : null);
            if (tool) {
                ((ObjectNode) body.get("message")).set("tool_calls", toolCalls(req));
            }
            done(body);
            return FakeUpstream.Reply.json(200, Json.writeString(body));
        }
        List<String> lines = new ArrayList<>();
        if (think) {
            for (String part : List.of("let ", "me ", "think")) {
                ObjectNode line = head(model);
                content(line, chat, "", part);
                line.put("done", false);
                lines.add(Json.writeString(line) + "\n");
            }
        }
        if (tool) {
            ObjectNode line = head(model);
            content(line, true, "", null);
            ((ObjectNode) line.get("message")).set("tool_calls", toolCalls(req));
            line.put("done", false);
            lines.add(Json.writeString(line) + "\n");
        } else {
            for (String part : OpenAiWireFake.split(answer)) {
                ObjectNode line = head(model);
                content(line, chat, part, null);
                line.put("done", false);
                lines.add(Json.writeString(line) + "\n");
            }
        }
        ObjectNode last = head(model);
        content(last, chat, "", null);
        done(last);
        if (!chat) {
            last.putArray("context").add(1).add(2).add(3);
        }
        lines.add(Json.writeString(last) + "\n");
        return new FakeUpstream.Reply(200, "application/x-ndjson", Map.of(), lines, Duration.ZERO, interval, false);
    }

    static ArrayNode toolCalls(JsonNode req) {
        String name = req.path("tools").get(0).path("function").path("name").asText();
        ArrayNode calls = Json.array();
        ObjectNode fn = calls.addObject().putObject("function");
        fn.put("index", 0);
        fn.put("name", name);
        fn.putObject("arguments").put("city", "Paris");
        return calls;
    }

    static ObjectNode head(String model) {
        ObjectNode o = Json.object();
        o.put("model", model);
        o.put("created_at", CREATED_AT);
        return o;
    }

    static void content(ObjectNode line, boolean chat, String text, String thinking) {
        if (chat) {
            ObjectNode message = line.putObject("message");
            message.put("role", "assistant");
            message.put("content", text);
            if (thinking != null) {
                message.put("thinking", thinking);
            }
        } else {
            line.put("response", text);
            if (thinking != null) {
                line.put("thinking", thinking);
            }
        }
    }

    static void done(ObjectNode body) {
        body.put("done", true);
        body.put("done_reason", "stop");
        body.put("total_duration", 5_000_000_000L);
        body.put("load_duration", 1_000_000L);
        body.put("prompt_eval_count", 12);
        body.put("prompt_eval_duration", 300_000_000L);
        body.put("eval_count", 7);
        body.put("eval_duration", 4_000_000_000L);
    }

    static FakeUpstream.Reply embed(JsonNode req) {
        JsonNode input = req.path("input");
        int count = input.isArray() ? input.size() : 1;
        ObjectNode body = Json.object();
        body.put("model", req.path("model").asText());
        ArrayNode embeddings = body.putArray("embeddings");
        for (int i = 0; i < count; i++) {
            embeddings.addArray().add(0.5 + i).add(-0.25).add(0.125);
        }
        body.put("total_duration", 14_000_000L);
        body.put("load_duration", 1_000_000L);
        body.put("prompt_eval_count", 3 * count);
        return FakeUpstream.Reply.json(200, Json.writeString(body));
    }

    static FakeUpstream.Reply legacyEmbeddings(JsonNode req) {
        ObjectNode body = Json.object();
        body.putArray("embedding").add(0.5).add(-0.25).add(0.125);
        return FakeUpstream.Reply.json(200, Json.writeString(body));
    }

    public static String digest(String model) {
        return String.format("%064x", Math.abs((long) model.hashCode()));
    }

    static FakeUpstream.Reply tags(List<String> models) {
        ObjectNode body = Json.object();
        ArrayNode out = body.putArray("models");
        for (String m : models) {
            ObjectNode e = out.addObject();
            e.put("name", m);
            e.put("model", m);
            e.put("modified_at", "2025-05-04T17:37:44.706015396-07:00");
            e.put("size", 2019393189L);
            e.put("digest", digest(m));
            ObjectNode d = e.putObject("details");
            d.put("parent_model", "");
            d.put("format", "gguf");
            d.put("family", "llama");
            d.putArray("families").add("llama");
            d.put("parameter_size", "3.2B");
            d.put("quantization_level", "Q4_K_M");
        }
        return FakeUpstream.Reply.json(200, Json.writeString(body));
    }

    static FakeUpstream.Reply show(JsonNode req, List<String> models) {
        String model = req.path("model").asText(req.path("name").asText());
        if (!models.contains(model)) {
            return FakeUpstream.Reply.json(404, "{\"error\":\"model '" + model + "' not found\"}");
        }
        ObjectNode body = Json.object();
        body.put("license", "LLAMA 3.2 COMMUNITY LICENSE");
        body.put("modelfile", "FROM " + model);
        body.put("parameters", "stop \"<|eot_id|>\"");
        body.put("template", "{{ .Prompt }}");
        ObjectNode d = body.putObject("details");
        d.put("parent_model", "");
        d.put("format", "gguf");
        d.put("family", "llama");
        d.putArray("families").add("llama");
        d.put("parameter_size", "3.2B");
        d.put("quantization_level", "Q4_K_M");
        ObjectNode info = body.putObject("model_info");
        info.put("general.architecture", "llama");
        info.put("general.parameter_count", 3212749888L);
        info.put("llama.context_length", 131072);
        info.put("llama.embedding_length", 3072);
        body.putArray("capabilities").add("completion");
        body.put("modified_at", "2025-05-04T17:37:44.706015396-07:00");
        return FakeUpstream.Reply.json(200, Json.writeString(body));
    }

    static FakeUpstream.Reply ps(List<String> models) {
        ObjectNode body = Json.object();
        ArrayNode out = body.putArray("models");
        String m = models.get(0);
        ObjectNode e = out.addObject();
        e.put("name", m);
        e.put("model", m);
        e.put("size", 5137025024L);
        e.put("digest", digest(m));
        ObjectNode d = e.putObject("details");
        d.put("parent_model", "");
        d.put("format", "gguf");
        d.put("family", "llama");
        d.putArray("families").add("llama");
        d.put("parameter_size", "3.2B");
        d.put("quantization_level", "Q4_K_M");
        e.put("expires_at", "2099-06-04T14:38:31.83753-07:00");
        e.put("size_vram", 5137025024L);
        return FakeUpstream.Reply.json(200, Json.writeString(body));
    }

    /** Progress lines as {@code ollama pull} shows them, written {@code interval} apart. */
    static FakeUpstream.Reply progress(JsonNode req, Duration interval) {
        String digest = "sha256:" + digest(req.path("model").asText());
        List<String> lines = new ArrayList<>();
        lines.add("{\"status\":\"pulling manifest\"}\n");
        for (int completed : new int[] {0, 40, 80, 100}) {
            lines.add("{\"status\":\"pulling " + digest.substring(7, 19) + "\",\"digest\":\"" + digest
                    + "\",\"total\":100,\"completed\":" + completed + "}\n");
        }
        lines.add("{\"status\":\"verifying sha256 digest\"}\n");
        lines.add("{\"status\":\"writing manifest\"}\n");
        lines.add("{\"status\":\"success\"}\n");
        if (!req.path("stream").asBoolean(true)) {
            return FakeUpstream.Reply.json(200, "{\"status\":\"success\"}");
        }
        return new FakeUpstream.Reply(200, "application/x-ndjson", Map.of(), lines, Duration.ZERO, interval, false);
    }
}
