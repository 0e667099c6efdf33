package io.modelmaestro.activity.sqs;

import io.micronaut.context.annotation.Requires;
import io.modelmaestro.json.Json;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The activity queue: one {@link SqsClient} (sync, over the JDK's HTTP client; only ever called from the pipeline's
 * own threads, never from an event loop) and the queue's URL. With {@code create-queues} it creates the queue and its
 * dead-letter queue (redrive after {@code max-receive-count} receives) at start-up; creating an existing queue with the
 * same attributes is a no-op, so restarts are fine.
 */
@Singleton
@Requires(property = "maestro.activity.sink", value = "sqs")
public class ActivityQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ActivityQueue.class);

    private final SqsClient client;
    private final String url;
    private final @Nullable String deadLetterUrl;

    public ActivityQueue(SqsActivitySettings settings) {
        this.client = client(settings);
        if (settings.createQueues()) {
            String dlq = client.createQueue(CreateQueueRequest.builder()
                            .queueName(settings.deadLetterQueue())
                            .build())
                    .queueUrl();
            String dlqArn = client.getQueueAttributes(GetQueueAttributesRequest.builder()
                            .queueUrl(dlq)
                            .attributeNames(QueueAttributeName.QUEUE_ARN)
                            .build())
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
            String redrive = Json.writeString(Map.of(
                    "deadLetterTargetArn", dlqArn, "maxReceiveCount", String.valueOf(settings.maxReceiveCount())));
            this.url = client.createQueue(CreateQueueRequest.builder()
                            .queueName(settings.queueName())
                            .attributes(Map.of(
                                    QueueAttributeName.REDRIVE_POLICY,
                                    redrive,
                                    QueueAttributeName.VISIBILITY_TIMEOUT,
                                    String.valueOf(settings.visibilityTimeout().toSeconds())))
                            .build())
                    .queueUrl();
            this.deadLetterUrl = dlq;
            LOG.info(
                    "activity queue {} ready (dead-letter queue {} after {} receives)",
                    url,
                    dlq,
                    settings.maxReceiveCount());
        } else {
            String configured = settings.queueUrl();
            this.url = configured != null && !configured.isBlank()
                    ? configured
                    : client.getQueueUrl(r -> r.queueName(settings.queueName())).queueUrl();
            this.deadLetterUrl = null;
            LOG.info("activity queue {}", url);
        }
    }

    static SqsClient client(SqsActivitySettings settings) {
        SqsClientBuilder builder = SqsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        // A long poll holds the connection for up to wait-time.
                        .socketTimeout(settings.waitTime().plusSeconds(20)));
        String endpoint = settings.endpoint();
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        if (settings.localCredentials()) {
            // The embedded queue is in this process, over loopback: an MD5 of every message body sent and received
            // guards nothing there (1.5 % of the JVM's CPU samples under load, session 7). Kept on against AWS.
            builder.checksumValidationEnabled(false);
        }
        String region = settings.region();
        if (region != null && !region.isBlank()) {
            builder.region(Region.of(region));
        } else if (endpoint != null && !endpoint.isBlank()) {
            builder.region(Region.US_EAST_1);
        }
        if (settings.localCredentials()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        }
        return builder.build();
    }

    public SqsClient client() {
        return client;
    }

    public String url() {
        return url;
    }

    /** The dead-letter queue's URL when this process created the pair, otherwise null. */
    public @Nullable String deadLetterUrl() {
        return deadLetterUrl;
    }

    @PreDestroy
    @Override
    public void close() {
        client.close();
    }
}
