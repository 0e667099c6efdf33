package io.modelmaestro.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.json.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * A fake Bedrock endpoint on loopback speaking the real wire protocol: the runtime API ({@code POST
 * /model/{id}/converse}, {@code /converse-stream}, {@code /invoke}) and the control plane ({@code GET
 * /foundation-models}, {@code /inference-profiles}). Streams are AWS event-stream frames built with the SDK's own
 * encoder ({@link Message}), content type {@code application/vnd.amazon.eventstream}; errors carry
 * {@code x-amzn-ErrorType} as AWS sends them. Every request must be SigV4-signed ({@code Authorization:
 * AWS4-HMAC-SHA256 Credential=…}), else 403 {@code MissingAuthenticationTokenException}.
 *
 * <p>What it answers (the model id decides errors, the conversation the rest):
 *
 * <ul>
 *   <li>model {@code err.<ErrorType>} (e.g. {@code err.ThrottlingException}): that error with AWS's status for it;
 *   <li>model containing {@code cut}: a stream that sends {@link #CUT_PREFIX} and then drops the connection;
 *   <li>model containing {@code slow}: 200 text deltas 50 ms apart (for disconnect tests);
 *   <li>tools and no {@code toolResult} in the last user turn: a call of the first tool with {@link #TOOL_INPUT},
 *       streamed in four-character fragments, stop reason {@code tool_use};
 *   <li>after a tool result {@code "The tool said: <result>"}; with images {@code "I see N image(s): fmt/bytes"}
 *       (format and decoded byte count of each); else {@link #ANSWER};
 *   <li>{@code max_tokens} when {@code inferenceConfig.maxTokens} is under 16, else {@code end_turn};
 *   <li>usage: 20 uncached input tokens, 100 read from the cache, 5 written, 9 output.
 * </ul>
 */
public final class BedrockWireFake implements AutoCloseable {

    public static final String ANSWER = "Hello from the fake Bedrock node!";
    public static final String CUT_PREFIX = "This answer will be cut";
    public static final String TOOL_INPUT = "{\"city\":\"Paris\",\"days\":3}";
    public static final String TOOL_ID = "tooluse_FakeBedrock01";
    public static final String THINKING = "Thinking it over.";
    public static final String SIGNATURE = "bedrock-fake-signature==";

    /** One recorded request. */
    public record Recorded(String method, String path, Map<String, String> headers, String body) {
        public JsonNode json() {
            return Json.parse(body);
        }
    }

    private static final Map<String, Integer> STATUS = Map.of(
            "ThrottlingException", 429,
            "ValidationException", 400,
            "AccessDeniedException", 403,
            "ModelNotReadyException", 429,
            "ServiceUnavailableException", 503,
            "ModelTimeoutException", 408,
            "ResourceNotFoundException", 404,
            "InternalServerException", 500);

    private final ServerSocket server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> flags = new ConcurrentHashMap<>();
    private volatile java.util.concurrent.CountDownLatch disconnected = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean closed;

    public BedrockWireFake() {
        try {
            server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread.ofVirtual().name("bedrock-fake-accept").start(this::acceptLoop);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public List<Recorded> requests() {
        return new ArrayList<>(requests);
    }

    /** Answers with reasoning first (a reasoning block with a signature) when set. */
    public void reasoning(boolean on) {
        flags.put("reasoning", on);
    }

    public void reset() {
        requests.clear();
        flags.clear();
        disconnected = new java.util.concurrent.CountDownLatch(1);
    }

    /** True once the gateway closed a stream this fake was still writing (a {@code slow} model's). */
    public boolean awaitDisconnect(java.time.Duration timeout) throws InterruptedException {
        return disconnected.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
            String requestLine = readLine(in);
            if (requestLine == null || requestLine.isEmpty()) {
                return;
            }
            String[] parts = requestLine.split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            String line;
            while ((line = readLine(in)) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(
                            line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).strip());
                }
            }
            byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            String path = parts[1].contains("?") ? parts[1].substring(0, parts[1].indexOf('?')) : parts[1];
            path = URLDecoder.decode(path, StandardCharsets.UTF_8);
            Recorded r = new Recorded(parts[0], path, headers, new String(body, StandardCharsets.UTF_8));
            requests.add(r);
            respond(socket.getOutputStream(), r);
        } catch (IOException e) {
            disconnected.countDown(); // the gateway hung up
        }
    }

    private void respond(OutputStream out, Recorded r) throws IOException {
        String auth = r.headers().getOrDefault("authorization", "");
        if (!auth.startsWith("AWS4-HMAC-SHA256 Credential=") || !r.headers().containsKey("x-amz-date")) {
            error(out, "MissingAuthenticationTokenException", 403, "Missing Authentication Token");
            return;
        }
        if (r.method().equals("GET") && r.path().equals("/foundation-models")) {
            json(out, 200, foundationModels());
            return;
        }
        if (r.method().equals("GET") && r.path().equals("/inference-profiles")) {
            json(out, 200, inferenceProfiles());
            return;
        }
        if (!r.method().equals("POST") || !r.path().startsWith("/model/")) {
            error(out, "UnknownOperationException", 404, "no route " + r.path());
            return;
        }
        String rest = r.path().substring("/model/".length());
        int slash = rest.lastIndexOf('/');
        String model = rest.substring(0, slash);
        String op = rest.substring(slash + 1);
        if (model.startsWith("err.")) {
            String type = model.substring(4);
            error(out, type, STATUS.getOrDefault(type, 400), "fake " + type + " for " + model);
            return;
        }
        switch (op) {
            case "converse" -> json(out, 200, converse(r.json()));
            case "converse-stream" -> stream(out, model, r.json());
            case "invoke" -> json(out, 200, invoke(model, r.json()));
            default -> error(out, "UnknownOperationException", 404, "unknown operation " + op);
        }
    }

    /** What the model "says": text, or a tool call. */
    private record Plan(String text, boolean toolCall, String toolName, String stopReason) {}

    private Plan plan(JsonNode req) {
        JsonNode messages = req.path("messages");
        JsonNode last = messages.get(messages.size() - 1);
        List<String> results = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (JsonNode block : last.path("content")) {
            if (block.has("toolResult")) {
                results.add(block.path("toolResult")
                        .path("content")
                        .path(0)
                        .path("text")
                        .asText());
            }
            if (block.has("image")) {
                byte[] bytes = Base64.getDecoder()
                        .decode(block.path("image").path("source").path("bytes").asText());
                images.add(block.path("image").path("format").asText() + "/" + bytes.length);
            }
        }
        boolean tools = req.path("toolConfig").path("tools").size() > 0;
        int maxTokens = req.path("inferenceConfig").path("maxTokens").asInt(1000);
        String stop = maxTokens < 16 ? "max_tokens" : "end_turn";
        if (tools && results.isEmpty()) {
            String name = req.path("toolConfig")
                    .path("tools")
                    .path(0)
                    .path("toolSpec")
                    .path("name")
                    .asText();
            return new Plan("", true, name, "tool_use");
        }
        if (!results.isEmpty()) {
            return new Plan("The tool said: " + String.join(", ", results), false, "", stop);
        }
        if (!images.isEmpty()) {
            return new Plan("I see " + images.size() + " image(s): " + String.join(", ", images), false, "", stop);
        }
        return new Plan(ANSWER, false, "", stop);
    }

    private ObjectNode converse(JsonNode req) {
        Plan p = plan(req);
        ObjectNode body = Json.object();
        ObjectNode message = body.putObject("output").putObject("message");
        message.put("role", "assistant");
        ArrayNode content = message.putArray("content");
        if (Boolean.TRUE.equals(flags.get("reasoning"))) {
            ObjectNode rt = content.addObject().putObject("reasoningContent").putObject("reasoningText");
            rt.put("text", THINKING);
            rt.put("signature", SIGNATURE);
        }
        if (p.toolCall()) {
            ObjectNode tu = content.addObject().putObject("toolUse");
            tu.put("toolUseId", TOOL_ID);
            tu.put("name", p.toolName());
            tu.set("input", Json.parse(TOOL_INPUT));
        } else {
            content.addObject().put("text", p.text());
        }
        body.put("stopReason", p.stopReason());
        body.set("usage", usage());
        body.putObject("metrics").put("latencyMs", 42);
        return body;
    }

    private static ObjectNode usage() {
        ObjectNode u = Json.object();
        u.put("inputTokens", 20);
        u.put("outputTokens", 9);
        u.put("totalTokens", 134);
        u.put("cacheReadInputTokens", 100);
        u.put("cacheWriteInputTokens", 5);
        return u;
    }

    private void stream(OutputStream out, String model, JsonNode req) throws IOException {
        head(out, 200, "application/vnd.amazon.eventstream", Map.of(), -1);
        ObjectNode start = Json.object();
        start.put("role", "assistant");
        frame(out, "messageStart", start);
        if (model.contains("slow")) {
            for (int i = 0; i < 200; i++) {
                frame(out, "contentBlockDelta", textDelta(0, "t" + i + " "));
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return;
        }
        if (model.contains("cut")) {
            frame(out, "contentBlockDelta", textDelta(0, CUT_PREFIX));
            out.flush();
            return; // the connection closes without the last chunk: a truncated stream
        }
        Plan p = plan(req);
        int index = 0;
        if (Boolean.TRUE.equals(flags.get("reasoning"))) {
            ObjectNode d = Json.object();
            d.put("contentBlockIndex", index);
            d.putObject("delta").putObject("reasoningContent").put("text", THINKING);
            frame(out, "contentBlockDelta", d);
            ObjectNode s = Json.object();
            s.put("contentBlockIndex", index);
            s.putObject("delta").putObject("reasoningContent").put("signature", SIGNATURE);
            frame(out, "contentBlockDelta", s);
            frame(out, "contentBlockStop", Json.object().put("contentBlockIndex", index));
            index++;
        }
        if (p.toolCall()) {
            ObjectNode s = Json.object();
            s.put("contentBlockIndex", index);
            ObjectNode tu = s.putObject("start").putObject("toolUse");
            tu.put("toolUseId", TOOL_ID);
            tu.put("name", p.toolName());
            frame(out, "contentBlockStart", s);
            for (int i = 0; i < TOOL_INPUT.length(); i += 4) {
                ObjectNode d = Json.object();
                d.put("contentBlockIndex", index);
                d.putObject("delta")
                        .putObject("toolUse")
                        .put("input", TOOL_INPUT.substring(i, Math.min(TOOL_INPUT.length(), i + 4)));
                frame(out, "contentBlockDelta", d);
            }
        } else {
            String text = p.text();
            for (int i = 0; i < text.length(); i += 8) {
                frame(out, "contentBlockDelta", textDelta(index, text.substring(i, Math.min(text.length(), i + 8))));
            }
        }
        frame(out, "contentBlockStop", Json.object().put("contentBlockIndex", index));
        frame(out, "messageStop", Json.object().put("stopReason", p.stopReason()));
        ObjectNode meta = Json.object();
        meta.set("usage", usage());
        meta.putObject("metrics").put("latencyMs", 42);
        frame(out, "metadata", meta);
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static ObjectNode textDelta(int index, String text) {
        ObjectNode d = Json.object();
        d.put("contentBlockIndex", index);
        d.putObject("delta").put("text", text);
        return d;
    }

    /** One event-stream message, encoded by the SDK's codec, as one HTTP chunk. */
    private static void frame(OutputStream out, String eventType, ObjectNode payload) throws IOException {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(eventType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        ByteBuffer buffer = new Message(headers, Json.write(payload)).toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static ObjectNode invoke(String model, JsonNode req) {
        ObjectNode body = Json.object();
        if (model.startsWith("cohere.")) {
            ArrayNode embeddings = body.putArray("embeddings");
            for (JsonNode t : req.path("texts")) {
                embeddings.add(vector(t.asText()));
            }
            body.put("id", UUID.randomUUID().toString());
            body.set("texts", req.path("texts"));
            return body;
        }
        String text = req.path("inputText").asText();
        body.set("embedding", vector(text));
        body.put("inputTextTokenCount", text.split("\\s+").length);
        return body;
    }

    /** A deterministic vector: [length, 0.5, -0.25, dimensions-or-3]. */
    public static ArrayNode vector(String text) {
        ArrayNode v = Json.array();
        v.add((double) text.length());
        v.add(0.5);
        v.add(-0.25);
        return v;
    }

    private static ObjectNode foundationModels() {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("modelSummaries");
        list.add(model(
                "anthropic.claude-3-haiku-20240307-v1:0", "Anthropic", "ACTIVE", List.of("TEXT", "IMAGE"), "TEXT"));
        list.add(model("amazon.titan-embed-text-v2:0", "Amazon", "ACTIVE", List.of("TEXT"), "EMBEDDING"));
        list.add(model("amazon.titan-text-old-v1", "Amazon", "LEGACY", List.of("TEXT"), "TEXT"));
        return body;
    }

    private static ObjectNode model(String id, String provider, String status, List<String> in, String out) {
        ObjectNode m = Json.object();
        m.put("modelArn", "arn:aws:bedrock:us-east-1::foundation-model/" + id);
        m.put("modelId", id);
        m.put("modelName", id);
        m.put("providerName", provider);
        ArrayNode inputs = m.putArray("inputModalities");
        in.forEach(inputs::add);
        m.putArray("outputModalities").add(out);
        m.put("responseStreamingSupported", true);
        m.putArray("inferenceTypesSupported").add("ON_DEMAND");
        m.putObject("modelLifecycle").put("status", status);
        return m;
    }

    private static ObjectNode inferenceProfiles() {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("inferenceProfileSummaries");
        ObjectNode p = list.addObject();
        p.put("inferenceProfileId", "us.anthropic.claude-3-haiku-20240307-v1:0");
        p.put("inferenceProfileName", "US Claude 3 Haiku");
        p.put("inferenceProfileArn", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude");
        p.put("status", "ACTIVE");
        p.put("type", "SYSTEM_DEFINED");
        p.putArray("models")
                .addObject()
                .put("modelArn", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0");
        return body;
    }

    private static void error(OutputStream out, String type, int status, String message) throws IOException {
        byte[] body = Json.write(Json.object().put("message", message));
        head(
                out,
                status,
                "application/json",
                Map.of("x-amzn-ErrorType", type + ":http://internal.amazon.com/"),
                body.length);
        out.write(body);
        out.flush();
    }

    private static void json(OutputStream out, int status, ObjectNode json) throws IOException {
        byte[] body = Json.write(json);
        head(out, status, "application/json", Map.of(), body.length);
        out.write(body);
        out.flush();
    }

    private static void head(OutputStream out, int status, String contentType, Map<String, String> extra, long length)
            throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " X\r\n");
        head.append("Content-Type: ").append(contentType).append("\r\n");
        head.append("x-amzn-RequestId: ").append(UUID.randomUUID()).append("\r\n");
        head.append("Connection: close\r\n");
        extra.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append(length < 0 ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + length + "\r\n");
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(BufferedInputStream in) throws IOException {
        ByteArrayOutputStream sb = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                sb.write(b);
            }
        }
        return b == -1 && sb.size() == 0 ? null : sb.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
