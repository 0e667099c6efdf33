package io.modelmaestro.gateway.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.modelmaestro.activity.ActivityEvent;
import io.modelmaestro.activity.ActivityEventJson;
import io.modelmaestro.activity.sqs.ActivityQueue;
import io.modelmaestro.gateway.local.EmbeddedSqs;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The streaming Lambda function is the Netty runtime behind the Lambda Web Adapter: the invocation ends with the HTTP
 * response, and Lambda may freeze the instance right then. With {@code maestro.activity.send-before-response-ends}
 * (what {@code AwsSettings} sets) the request's activity event is in SQS by the time the client has read the last
 * byte, streamed or not, though the producer would otherwise linger (here a minute) to fill a call.
 */
class SendBeforeResponseEndsTest {

    EmbeddedSqs sqs;
    FakeUpstream upstream;
    Gateway gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (sqs != null) {
            sqs.close();
        }
    }

    @ParameterizedTest(name = "send before the end: {0}")
    @ValueSource(booleans = {true, false})
    void the_event_is_in_the_queue_when_the_client_has_read_the_answer(boolean sendBeforeEnd) {
        sqs = EmbeddedSqs.start();
        upstream = OpenAiWireFake.install(new FakeUpstream(), List.of("llama3.2:latest"), true);
        gw = Gateway.start(Map.of(
                "maestro.activity.sink",
                "sqs",
                "maestro.activity.sqs.endpoint",
                sqs.endpoint(),
                "maestro.activity.sqs.region",
                "us-east-1",
                "maestro.activity.sqs.local-credentials",
                true,
                "maestro.activity.sqs.create-queues",
                true,
                "maestro.activity.sqs.queue-name",
                "send-before-end",
                "maestro.activity.sqs.linger",
                "60s",
                "maestro.activity.sqs.poll",
                false,
                "maestro.activity.send-before-response-ends",
                sendBeforeEnd));
        long node = gw.createNode("gpu", "gpu1", "ollama", upstream.baseUrl());
        gw.map("llama", "llama3.2:latest", node);
        String token = gw.createUser("streamer");
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .apiKey(token)
                .baseUrl(gw.baseUrl() + "/v1")
                .maxRetries(0)
                .build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("llama")
                .addUserMessage("hi")
                .build();

        String plain;
        try (HttpResponseFor<ChatCompletion> raw =
                client.chat().completions().withRawResponse().create(params)) {
            assertThat(raw.parse().choices()).isNotEmpty();
            plain = raw.requestId().orElseThrow();
        }
        List<String> afterPlain = queued();

        // Read to the end of the HTTP response, as the Web Adapter does (an SDK may stop at `data: [DONE]`).
        HttpResponse<String> stream = gw.call(
                "POST",
                "/v1/chat/completions",
                token,
                "{\"model\":\"llama\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body()).contains("data: [DONE]");
        String streamed = stream.headers().firstValue("x-request-id").orElseThrow();
        List<String> afterStream = queued();

        if (sendBeforeEnd) {
            assertThat(afterPlain).containsExactly(plain);
            assertThat(afterStream).containsExactly(streamed);
        } else {
            // The control: without it, both events wait in the producer's buffer for the linger.
            assertThat(afterPlain).isEmpty();
            assertThat(afterStream).isEmpty();
        }
    }

    /** The request ids of the events in the queue now (received and deleted). */
    private List<String> queued() {
        ActivityQueue queue = gw.bean(ActivityQueue.class);
        List<String> ids = new ArrayList<>();
        List<Message> messages = queue.client()
                .receiveMessage(
                        r -> r.queueUrl(queue.url()).maxNumberOfMessages(10).waitTimeSeconds(0))
                .messages();
        for (Message m : messages) {
            for (ActivityEvent e : ActivityEventJson.decodeAll(m.body())) {
                ids.add(e.requestId().toString());
            }
            queue.client().deleteMessage(r -> r.queueUrl(queue.url()).receiptHandle(m.receiptHandle()));
        }
        return ids;
    }
}
