package io.modelmaestro.bench.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.core.stream.StreamEvent;
import io.modelmaestro.json.Json;
import io.modelmaestro.sse.NdjsonDecoder;
import io.modelmaestro.sse.SseDecoder;
import io.modelmaestro.sse.SseEvent;
import io.modelmaestro.wire.openai.OpenAiStreamDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mock's bytes, exactly, and as the gateway's own decoders read them. */
class MockFormatTest {

    private static String stream(MockFormat f, int chunks, boolean usage) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(f.preamble("m"));
        for (int k = 0; k < chunks; k++) {
            out.writeBytes(f.content("m", k, -1));
        }
        out.writeBytes(f.trailer("m", chunks, usage));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void openAiStreamIsByteExact() {
        String head = "data: {\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"m\",\"choices\":[";
        assertThat(stream(MockFormat.OPENAI_CHAT, 2, true))
                .isEqualTo(head
                        + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
                        + head + "{\"index\":0,\"delta\":{\"content\":\"t0 \"},\"finish_reason\":null}]}\n\n"
                        + head + "{\"index\":0,\"delta\":{\"content\":\"t1 \"},\"finish_reason\":null}]}\n\n"
                        + head + "{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                        + head + "],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}}\n\n"
                        + "data: [DONE]\n\n");
    }

    @Test
    void openAiStreamWithoutUsageEndsInFinishAndDone() {
        String s = stream(MockFormat.OPENAI_CHAT, 1, false);
        assertThat(s).doesNotContain("usage").endsWith("\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
    }

    @Test
    void openAiStreamDecodesIntoTheTokensWithTheGatewaysDecoders() {
        SseDecoder sse = new SseDecoder();
        OpenAiStreamDecoder decoder = new OpenAiStreamDecoder();
        StringBuilder text = new StringBuilder();
        int deltas = 0;
        boolean done = false;
        for (SseEvent e : sse.feed(stream(MockFormat.OPENAI_CHAT, 7, true).getBytes(StandardCharsets.UTF_8))) {
            if (e.data().equals("[DONE]")) {
                done = true;
                continue;
            }
            for (StreamEvent ev : decoder.decode(Json.parse(e.data()))) {
                if (ev instanceof StreamEvent.TextDelta d) {
                    text.append(d.text());
                    deltas++;
                }
            }
        }
        assertThat(done).isTrue();
        assertThat(deltas).isEqualTo(7);
        assertThat(text.toString()).isEqualTo("t0 t1 t2 t3 t4 t5 t6 ").isEqualTo(MockFormat.text(7));
    }

    @Test
    void stampGoesIntoContentFramesOnly() {
        String framed = new String(MockFormat.OPENAI_CHAT.content("m", 3, 123456789L), StandardCharsets.UTF_8);
        assertThat(framed).endsWith("\"finish_reason\":null}],\"mock_ns\":123456789}\n\n");
        assertThat(Json.parse(framed.substring(6).strip()).path("mock_ns").asLong())
                .isEqualTo(123456789L);
        assertThat(new String(MockFormat.OPENAI_CHAT.preamble("m"), StandardCharsets.UTF_8))
                .doesNotContain("mock_ns");
    }

    @Test
    void openAiUnaryIsAValidCompletion() {
        JsonNode n = Json.parse(MockFormat.OPENAI_CHAT.unary("gpt \"x\"", 3));
        assertThat(n.path("model").asText()).isEqualTo("gpt \"x\"");
        assertThat(n.path("choices").get(0).path("message").path("content").asText())
                .isEqualTo("t0 t1 t2 ");
        assertThat(n.path("usage").path("total_tokens").asInt()).isEqualTo(13);
        assertThat(n.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void anthropicStreamHasTheEventSequenceOfTheMessagesApi() {
        List<String> names = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (SseEvent e : new SseDecoder()
                .feed(stream(MockFormat.ANTHROPIC_MESSAGES, 2, false).getBytes(StandardCharsets.UTF_8))) {
            names.add(e.event());
            JsonNode data = Json.parse(e.data());
            assertThat(data.path("type").asText()).isEqualTo(e.event());
            if ("content_block_delta".equals(e.event())) {
                text.append(data.path("delta").path("text").asText());
            }
        }
        assertThat(names)
                .containsExactly(
                        "message_start",
                        "content_block_start",
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_stop",
                        "message_delta",
                        "message_stop");
        assertThat(text.toString()).isEqualTo("t0 t1 ");
        assertThat(new String(MockFormat.ANTHROPIC_MESSAGES.content("m", 0, -1), StandardCharsets.UTF_8))
                .isEqualTo("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"t0 \"}}\n\n");
    }

    @Test
    void anthropicUnaryIsAMessage() {
        JsonNode n = Json.parse(MockFormat.ANTHROPIC_MESSAGES.unary("claude", 2));
        assertThat(n.path("type").asText()).isEqualTo("message");
        assertThat(n.path("content").get(0).path("text").asText()).isEqualTo("t0 t1 ");
        assertThat(n.path("usage").path("output_tokens").asInt()).isEqualTo(2);
    }

    @Test
    void ollamaChatIsNdjsonEndingInDone() {
        String s = stream(MockFormat.OLLAMA_CHAT, 2, false);
        assertThat(s)
                .isEqualTo(
                        "{\"model\":\"m\",\"created_at\":\"2024-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\","
                                + "\"content\":\"t0 \"},\"done\":false}\n"
                                + "{\"model\":\"m\",\"created_at\":\"2024-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\","
                                + "\"content\":\"t1 \"},\"done\":false}\n"
                                + "{\"model\":\"m\",\"created_at\":\"2024-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\","
                                + "\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,\"total_duration\":0,"
                                + "\"load_duration\":0,\"prompt_eval_count\":10,\"prompt_eval_duration\":0,\"eval_count\":2,"
                                + "\"eval_duration\":0}\n");
        List<String> lines = new NdjsonDecoder().feed(s.getBytes(StandardCharsets.UTF_8));
        assertThat(lines).hasSize(3);
        assertThat(Json.parse(lines.get(2)).path("done").asBoolean()).isTrue();
    }

    @Test
    void ollamaGenerateUsesResponse() {
        JsonNode line = Json.parse(MockFormat.OLLAMA_GENERATE.content("m", 4, -1));
        assertThat(line.path("response").asText()).isEqualTo("t4 ");
        assertThat(Json.parse(MockFormat.OLLAMA_GENERATE.unary("m", 2))
                        .path("response")
                        .asText())
                .isEqualTo("t0 t1 ");
    }

    @Test
    void streamingDefaultsFollowEachApi() {
        assertThat(MockFormat.OLLAMA_CHAT.streams(null)).isTrue();
        assertThat(MockFormat.OLLAMA_CHAT.streams(false)).isFalse();
        assertThat(MockFormat.OPENAI_CHAT.streams(null)).isFalse();
        assertThat(MockFormat.ANTHROPIC_MESSAGES.streams(true)).isTrue();
    }

    @Test
    void errorBodiesAreInEachFormat() {
        assertThat(Json.parse(MockFormat.OPENAI_CHAT.error(429))
                        .path("error")
                        .path("message")
                        .asText())
                .isEqualTo("mock error 429");
        assertThat(Json.parse(MockFormat.ANTHROPIC_MESSAGES.error(500))
                        .path("type")
                        .asText())
                .isEqualTo("error");
        assertThat(Json.parse(MockFormat.OLLAMA_CHAT.error(404)).path("error").asText())
                .isEqualTo("mock error 404");
    }

    @Test
    void settingsPrecedenceIsHeaderThenBodyThenDefault() {
        MockSettings d = new MockSettings(1, 2, 3, 4, 200, false);
        MockSettings s = d.with(h -> h.equals("x-mock-chunks") ? "9" : null, f -> switch (f) {
            case "chunks" -> 7;
            case "interval_ms" -> 11;
            default -> null;
        });
        assertThat(s).isEqualTo(new MockSettings(1, 2, 9, 11, 200, false));
    }
}
