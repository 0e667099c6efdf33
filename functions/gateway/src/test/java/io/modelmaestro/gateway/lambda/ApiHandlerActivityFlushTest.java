package io.modelmaestro.gateway.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import io.modelmaestro.activity.ActivityEventJson;
import io.modelmaestro.activity.sqs.ActivityQueue;
import io.modelmaestro.gateway.local.EmbeddedSqs;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Lambda freezes the process when the handler returns: the API handler sends the invocation's activity event to SQS
 * before it returns, though the producer would otherwise linger (here a minute) to fill a call.
 */
class ApiHandlerActivityFlushTest {

    EmbeddedSqs sqs;
    FakeUpstream upstream;
    ApiHandler handler;

    @AfterEach
    void stop() {
        if (handler != null) {
            handler.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (sqs != null) {
            sqs.close();
        }
    }

    @Test
    void the_activity_event_is_in_the_queue_when_the_handler_returns() {
        sqs = EmbeddedSqs.start();
        upstream = OpenAiWireFake.install(new FakeUpstream(), List.of("llama3.2:latest"), true);
        Map<String, Object> props = Gateway.properties();
        props.put("maestro.activity.sink", "sqs");
        props.put("maestro.activity.sqs.endpoint", sqs.endpoint());
        props.put("maestro.activity.sqs.region", "us-east-1");
        props.put("maestro.activity.sqs.local-credentials", true);
        props.put("maestro.activity.sqs.create-queues", true);
        props.put("maestro.activity.sqs.queue-name", "flush-test");
        props.put("maestro.activity.sqs.linger", "60s");
        props.put("maestro.activity.sqs.poll", false);
        handler = new ApiHandler(ApplicationContext.builder().properties(props).build());

        call("POST", "/admin/nodes", Gateway.ADMIN_TOKEN, """
                {"name":"gpu","code":"gpu1","node_type":"ollama","base_url":"%s"}""".formatted(upstream.baseUrl()));
        call("POST", "/admin/model-mappings", Gateway.ADMIN_TOKEN, """
                {"display_name":"llama","real_name":"llama3.2:latest"}""");
        String token = Json.parse(call("POST", "/admin/users", Gateway.ADMIN_TOKEN, "{\"username\":\"lambda-user\"}")
                        .getBody())
                .get("token")
                .asText();

        APIGatewayV2HTTPResponse answer = call("POST", "/v1/chat/completions", token, """
                {"model":"llama","messages":[{"role":"user","content":"hi"}]}""");
        assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(200);

        ActivityQueue queue = handler.getApplicationContext().getBean(ActivityQueue.class);
        List<Message> messages = queue.client()
                .receiveMessage(
                        r -> r.queueUrl(queue.url()).maxNumberOfMessages(10).waitTimeSeconds(0))
                .messages();
        assertThat(messages).hasSize(1);
        assertThat(ActivityEventJson.decodeAll(messages.get(0).body()))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.username()).isEqualTo("lambda-user");
                    assertThat(e.statusCode()).isEqualTo(200);
                    assertThat(e.urlPath()).isEqualTo("/v1/chat/completions");
                });
    }

    private APIGatewayV2HTTPResponse call(String method, String path, String token, String body) {
        ObjectNode event = (ObjectNode) Json.parse(LambdaEvents.resource("apigw-v2-http-event.json"));
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        ObjectNode http = (ObjectNode) event.at("/requestContext/http");
        http.put("method", method);
        http.put("path", path);
        ObjectNode h = (ObjectNode) event.get("headers");
        h.put("authorization", "Bearer " + token);
        h.put("content-type", "application/json");
        event.put("body", body);
        h.put("content-length", String.valueOf(body.getBytes(StandardCharsets.UTF_8).length));
        APIGatewayV2HTTPEvent in = LambdaEvents.fromJson(Json.writeString(event), APIGatewayV2HTTPEvent.class);
        APIGatewayV2HTTPResponse out = handler.handleRequest(in, new MockLambdaContext());
        assertThat(out.getStatusCode())
                .as(method + " " + path + ": " + out.getBody())
                .isLessThan(300);
        return out;
    }
}
