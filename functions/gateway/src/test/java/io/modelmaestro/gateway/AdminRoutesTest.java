package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Regression: routes a catch-all route once shadowed (found by the benchmark harness); see AcceptHeaderRoutingTest. */
class AdminRoutesTest {

    @Test
    void delete_node_and_json_accept_header_reach_their_routes() throws Exception {
        try (FakeUpstream upstream = OpenAiWireFake.install(new FakeUpstream(), List.of("m"), false);
                Gateway gw = Gateway.start()) {
            long id = gw.createNode("gone", "gone", "openai", upstream.baseUrl());
            HttpResponse<String> deleted = gw.admin("DELETE", "/admin/nodes/" + id, null);
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
            assertThat(gw.admin("GET", "/admin/nodes/" + id, null).statusCode()).isEqualTo(404);

            gw.createNode("n", "n", "openai", upstream.baseUrl());
            String token = gw.createUser("acc");
            HttpRequest request = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build();
            HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }
}
