package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configured selection strategy, end to end over HTTP (the unit tests cover each strategy in detail). */
class SelectionStrategyTest {

    static final String CHAT = "/v1/chat/completions";
    static final String BODY = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void round_robin_alternates_between_nodes_of_the_best_priority() {
        try (FakeUpstream a = OpenAiWireFake.install(new FakeUpstream(), List.of("m"), false);
                FakeUpstream b = OpenAiWireFake.install(new FakeUpstream(), List.of("m"), false);
                FakeUpstream low = OpenAiWireFake.install(new FakeUpstream(), List.of("m"), false);
                Gateway gw = Gateway.start(Map.of("maestro.selection-strategy", "round-robin"))) {
            gw.createNode("a", "a", "openai", a.baseUrl(), 5, 100);
            gw.createNode("b", "b", "openai", b.baseUrl(), 5, 100);
            gw.createNode("low", "low", "openai", low.baseUrl(), 1, 100);
            String token = gw.createUser("rr");
            for (int i = 0; i < 6; i++) {
                assertThat(gw.call("POST", CHAT, token, BODY).statusCode()).isEqualTo(200);
            }
            assertThat(a.requests(CHAT)).hasSize(3);
            assertThat(b.requests(CHAT)).hasSize(3);
            assertThat(low.requests(CHAT)).isEmpty();
        }
    }

    @Test
    void priority_sends_everything_to_the_highest_priority_node_while_it_is_healthy() {
        try (FakeUpstream high = OpenAiWireFake.install(new FakeUpstream(), List.of("m"), false);
                FakeUpstream low = OpenAiWireFake.install(new FakeUpstream(), List.of("m"), false);
                Gateway gw = Gateway.start()) {
            gw.createNode("low", "low", "openai", low.baseUrl(), 1, 100);
            gw.createNode("high", "high", "openai", high.baseUrl(), 9, 100);
            String token = gw.createUser("pr");
            for (int i = 0; i < 4; i++) {
                assertThat(gw.call("POST", CHAT, token, BODY).statusCode()).isEqualTo(200);
            }
            assertThat(high.requests(CHAT)).hasSize(4);
            assertThat(low.requests(CHAT)).isEmpty();
        }
    }
}
