package io.modelmaestro.bench.mock;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelmaestro.bench.load.Endpoint;
import io.modelmaestro.bench.load.Exchange;
import io.modelmaestro.bench.load.FrameFormat;
import io.modelmaestro.bench.load.FrameScanner;
import io.modelmaestro.bench.load.HttpConn;
import io.modelmaestro.bench.load.LoadClient;
import io.modelmaestro.bench.load.Request;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The mock over real loopback HTTP: bytes, knobs, pacing. */
class MockServerTest {

    static MockServer mock;
    static LoadClient client;
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final long TIMEOUT = TimeUnit.SECONDS.toNanos(20);

    @BeforeAll
    static void start() throws Exception {
        mock = MockServer.start("127.0.0.1", 0, 1, MockSettings.DEFAULTS.withStamp(false));
        client = new LoadClient(1);
    }

    @AfterAll
    static void stop() {
        client.close();
        mock.close();
    }

    private static HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mock.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheOpenAiStreamByteForByte() throws Exception {
        HttpResponse<String> r = post(
                "/v1/chat/completions",
                "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"mock\":{\"chunks\":3}}",
                Map.of());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(MockFormat.OPENAI_CHAT.preamble("m"));
        for (int k = 0; k < 3; k++) {
            expected.writeBytes(MockFormat.OPENAI_CHAT.content("m", k, -1));
        }
        expected.writeBytes(MockFormat.OPENAI_CHAT.trailer("m", 3, true));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(r.body()).isEqualTo(expected.toString(StandardCharsets.UTF_8));
    }

    @Test
    void servesOllamaAndAnthropicOnTheirPaths() throws Exception {
        HttpResponse<String> o = post("/api/chat", "{\"model\":\"m\"}", Map.of("x-mock-chunks", "2"));
        assertThat(o.headers().firstValue("content-type")).hasValue("application/x-ndjson");
        assertThat(o.body())
                .isEqualTo(new String(MockFormat.OLLAMA_CHAT.content("m", 0, -1), StandardCharsets.UTF_8)
                        + new String(MockFormat.OLLAMA_CHAT.content("m", 1, -1), StandardCharsets.UTF_8)
                        + new String(MockFormat.OLLAMA_CHAT.trailer("m", 2, false), StandardCharsets.UTF_8));
        HttpResponse<String> a =
                post("/v1/messages", "{\"model\":\"m\",\"max_tokens\":5}", Map.of("x-mock-chunks", "2"));
        assertThat(a.body()).isEqualTo(new String(MockFormat.ANTHROPIC_MESSAGES.unary("m", 2), StandardCharsets.UTF_8));
    }

    @Test
    void statusKnobAnswersWithTheFormatsErrorBody() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"m\",\"mock\":{\"status\":503}}", Map.of());
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo(new String(MockFormat.OPENAI_CHAT.error(503), StandardCharsets.UTF_8));
        HttpResponse<String> h = post("/v1/chat/completions", "{\"model\":\"m\"}", Map.of("x-mock-status", "429"));
        assertThat(h.statusCode()).isEqualTo(429);
    }

    @Test
    void modelsAndUnknownPaths() throws Exception {
        HttpResponse<String> models = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mock.port() + "/v1/models"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(models.body()).contains("\"id\":\"mock-model\"");
        assertThat(post("/v2/nothing", "{}", Map.of()).statusCode()).isEqualTo(404);
        assertThat(post("/v1/chat/completions", "not json", Map.of()).statusCode())
                .isEqualTo(400);
    }

    @Test
    void latencyKnobDelaysTheAnswer() {
        HttpConn c = client.connectSync(Endpoint.local(mock.port()));
        Request req = Request.post(
                "/v1/chat/completions", List.of(), "{\"model\":\"m\",\"mock\":{\"latency_ms\":120}}", FrameFormat.NONE);
        Exchange ex = c.call(req, TIMEOUT, false).join();
        assertThat(ex.ok()).isTrue();
        assertThat(ex.serviceNs()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(119));
    }

    @Test
    void streamIsPacedByDeadlineAndEveryFrameArrivesOnce() {
        HttpConn c = client.connectSync(Endpoint.local(mock.port()));
        Request req = Request.post(
                "/v1/chat/completions",
                List.of(),
                "{\"model\":\"m\",\"stream\":true,\"mock\":{\"chunks\":5,\"interval_ms\":30,\"ttft_ms\":40}}",
                FrameFormat.SSE_OPENAI);
        Exchange ex = c.call(req, TIMEOUT, true).join();
        FrameScanner f = ex.frames();
        assertThat(ex.ok()).isTrue();
        assertThat(f).isNotNull();
        assertThat(f.contentFrames()).isEqualTo(5);
        assertThat(f.text()).isEqualTo(MockFormat.text(5));
        long[] at = f.arrivals();
        // Deadline scheduling never sends early: frame k leaves at start + ttft + k * interval at the soonest, and the
        // mock's start is after the client's write.
        for (int k = 0; k < at.length; k++) {
            assertThat(at[k] - ex.sentNs()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40L + 30L * k));
        }
        assertThat(ex.ttftNs()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
    }
}
