package io.modelmaestro.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelmaestro.catalog.ModelMapping;
import io.modelmaestro.core.model.ChatRequest;
import io.modelmaestro.core.model.ContentPart;
import io.modelmaestro.core.model.GenerationParams;
import io.modelmaestro.core.model.Message;
import io.modelmaestro.core.model.ReasoningConfig;
import io.modelmaestro.core.model.Role;
import io.modelmaestro.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The drop rules for OpenAI-compatible nodes and the ping keepalive of Anthropic streams. */
class AnthropicGatewayRulesTest {

    static ChatRequest request(ReasoningConfig reasoning) {
        return new ChatRequest(
                "m",
                List.of(
                        new ContentPart.Text("x-anthropic-billing-header: cc_version=1; cch=abc;\n"),
                        new ContentPart.Text("You are helpful.")),
                List.of(
                        new Message(
                                Role.USER,
                                List.of(
                                        new ContentPart.Text("read this"),
                                        new ContentPart.Unknown(
                                                "document",
                                                Json.parse(
                                                        "{\"type\":\"document\",\"source\":{\"type\":\"text\",\"data\":\"doc text\"}}")),
                                        new ContentPart.Unknown(
                                                "document",
                                                Json.parse(
                                                        "{\"type\":\"document\",\"source\":{\"type\":\"base64\"}}"))),
                                null),
                        new Message(
                                Role.ASSISTANT,
                                List.of(new ContentPart.Reasoning("old thoughts", "sig"), new ContentPart.Text("ok")),
                                null),
                        new Message(
                                Role.ASSISTANT,
                                List.of(new ContentPart.Unknown("redacted_thinking", Json.object())),
                                null)),
                List.of(),
                null,
                GenerationParams.none(),
                null,
                reasoning,
                true,
                null);
    }

    @Test
    void openai_nodes_get_no_billing_line_no_signed_history_and_no_unusable_blocks() {
        ChatRequest r = AnthropicGateway.forOpenAiNode(request(new ReasoningConfig(true, null, 2000)), null);

        assertThat(r.system()).containsExactly(new ContentPart.Text("You are helpful."));
        assertThat(r.messages()).hasSize(2);
        assertThat(r.messages().get(0).content())
                .containsExactly(new ContentPart.Text("read this"), new ContentPart.Text("doc text"));
        assertThat(r.messages().get(1).content()).containsExactly(new ContentPart.Text("ok"));
        assertThat(r.reasoning()).isNull();
    }

    @Test
    void thinking_reaches_models_whose_mapping_declares_it() {
        ReasoningConfig thinking = new ReasoningConfig(true, null, 2000);
        ModelMapping reasoner = new ModelMapping(1, "r", "r", Set.of(), null, List.of("Thinking"));
        ModelMapping plain = new ModelMapping(2, "p", "p", Set.of(), null, List.of("tools"));
        assertThat(AnthropicGateway.forOpenAiNode(request(thinking), reasoner).reasoning())
                .isEqualTo(thinking);
        assertThat(AnthropicGateway.forOpenAiNode(request(thinking), plain).reasoning())
                .isNull();
    }

    static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    @Test
    void keepalive_pings_only_during_silences_and_passes_errors_and_completion_on() {
        Flux<byte[]> slow = Flux.just("a", "b")
                .concatMap(s -> Flux.just(s).delaySubscription(Duration.ofMillis(350)))
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        List<String> out = AnthropicGateway.keepalive(slow, Duration.ofMillis(100))
                .map(AnthropicGatewayRulesTest::text)
                .collectList()
                .block(Duration.ofSeconds(5));
        assertThat(out).containsSubsequence("a", "b");
        assertThat(out.indexOf("a")).isGreaterThanOrEqualTo(2);
        assertThat(out.stream().filter(s -> s.startsWith("event: ping")).count())
                .isGreaterThanOrEqualTo(4);

        Flux<byte[]> fast = Flux.just("x", "y").map(s -> s.getBytes(StandardCharsets.UTF_8));
        assertThat(AnthropicGateway.keepalive(fast, Duration.ofMillis(100))
                        .map(AnthropicGatewayRulesTest::text)
                        .collectList()
                        .block(Duration.ofSeconds(5)))
                .containsExactly("x", "y");

        Flux<byte[]> failing = Flux.concat(
                Flux.just("x".getBytes(StandardCharsets.UTF_8)), Flux.error(new IllegalStateException("boom")));
        StepVerifier.create(AnthropicGateway.keepalive(failing, Duration.ofMillis(100))
                        .map(AnthropicGatewayRulesTest::text))
                .expectNext("x")
                .expectErrorMessage("boom")
                .verify(Duration.ofSeconds(5));
    }
}
