package io.modelmaestro.activity.sqs;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code maestro.activity.sqs.*}: where the activity queue is and how the producer and the local consumer behave.
 * Used when {@code maestro.activity.sink=sqs}. The local runtime fills these from {@code SQS_QUEUE_URL},
 * {@code SQS_ENDPOINT} and {@code AWS_REGION}, or points them at its embedded ElasticMQ (README, docs/setup.md).
 *
 * @param queueUrl the queue to use; when unset, {@code queueName} is looked up (or created with
 *     {@code createQueues})
 * @param queueName the queue's name when {@code queueUrl} is unset
 * @param deadLetterQueueName the dead-letter queue's name ({@code createQueues} only); default: {@code
 *     <queueName>-dlq}
 * @param createQueues create the queue and its dead-letter queue at start-up (embedded or test servers; in AWS the
 *     stack creates them)
 * @param endpoint an SQS-compatible endpoint instead of AWS's (ElasticMQ, LocalStack)
 * @param region the AWS region; unset: the SDK's default chain ({@code AWS_REGION}, profile)
 * @param localCredentials use fixed dummy credentials (embedded and test servers ignore them); otherwise the SDK's
 *     default chain
 * @param maxReceiveCount receives after which the server moves a message to the dead-letter queue ({@code
 *     createQueues} only)
 * @param visibilityTimeout the queue's visibility timeout ({@code createQueues} only)
 * @param poll run the receive loop in this process (the local runtime; in AWS a Lambda consumes instead)
 * @param waitTime long-polling wait of one receive (at most 20 s)
 * @param retryDelay how long a message whose row could not be stored stays invisible before it is tried again
 * @param bufferCapacity events the producer holds in memory while SQS is slow or unreachable
 * @param maxBackoff the longest pause between two send attempts while SQS fails
 * @param linger how long the producer waits after an event for more to fill a call of 250 events (fewer SQS calls,
 *     each of which costs far more than an event; each event reaches the queue at most this much later)
 * @param receiveLinger how long the local consumer waits after a receive that did not fill a batch of ten messages
 *     before it receives again: at moderate rates each receive would otherwise fetch one or two messages, and every
 *     receive and its delete are signed HTTP calls (each row is stored at most this much later)
 * @param shutdownTimeout how long shutdown may take to send what is buffered (and, with {@code poll}, to consume
 *     what is queued)
 */
@ConfigurationProperties("maestro.activity.sqs")
public record SqsActivitySettings(
        @Nullable String queueUrl,
        @Bindable(defaultValue = "maestro-activity") String queueName,
        @Nullable String deadLetterQueueName,
        @Bindable(defaultValue = "false") boolean createQueues,
        @Nullable String endpoint,
        @Nullable String region,
        @Bindable(defaultValue = "false") boolean localCredentials,
        @Bindable(defaultValue = "5") int maxReceiveCount,
        @Bindable(defaultValue = "30s") Duration visibilityTimeout,
        @Bindable(defaultValue = "false") boolean poll,
        @Bindable(defaultValue = "5s") Duration waitTime,
        @Bindable(defaultValue = "5s") Duration retryDelay,
        @Bindable(defaultValue = "50000") int bufferCapacity,
        @Bindable(defaultValue = "5s") Duration maxBackoff,
        @Bindable(defaultValue = "200ms") Duration linger,
        @Bindable(defaultValue = "200ms") Duration receiveLinger,
        @Bindable(defaultValue = "10s") Duration shutdownTimeout) {

    public String deadLetterQueue() {
        String name = deadLetterQueueName;
        return name == null || name.isBlank() ? queueName + "-dlq" : name;
    }
}
