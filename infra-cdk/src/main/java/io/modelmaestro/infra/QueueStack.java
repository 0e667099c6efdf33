package io.modelmaestro.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The activity-log queue (ADR 0007) and its dead-letter queue, both KMS-encrypted. The visibility timeout is six times
 * the consumer's timeout, as AWS recommends for an SQS event source, so a batch still being processed is never handed
 * to a second consumer.
 */
public class QueueStack extends Construct {

    /** The consumer function's timeout; the queue's visibility timeout is six times this. */
    public static final Duration CONSUMER_TIMEOUT = Duration.seconds(60);

    public static final int MAX_RECEIVE_COUNT = 5;

    private final Queue queue;
    private final Queue deadLetters;

    public QueueStack(Construct scope, String id, DataStack data) {
        super(scope, id);
        deadLetters = Queue.Builder.create(this, "ActivityDlq")
                .queueName("maestro-activity-dlq")
                .encryption(QueueEncryption.KMS)
                .encryptionMasterKey(data.key())
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        queue = Queue.Builder.create(this, "Activity")
                .queueName("maestro-activity")
                .encryption(QueueEncryption.KMS)
                .encryptionMasterKey(data.key())
                .enforceSsl(true)
                .visibilityTimeout(
                        Duration.seconds(6 * CONSUMER_TIMEOUT.toSeconds().intValue()))
                .retentionPeriod(Duration.days(4))
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(deadLetters)
                        .maxReceiveCount(MAX_RECEIVE_COUNT)
                        .build())
                .build();
    }

    public Queue queue() {
        return queue;
    }

    public Queue deadLetters() {
        return deadLetters;
    }
}
