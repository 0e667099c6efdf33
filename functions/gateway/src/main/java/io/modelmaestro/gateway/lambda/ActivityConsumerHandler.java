package io.modelmaestro.gateway.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import io.modelmaestro.activity.sqs.SqsActivityConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The activity-log consumer Lambda: an SQS batch into {@code activity_logs} through the same {@link
 * SqsActivityConsumer} as the local poller, answering only the failed message ids ({@code ReportBatchItemFailures} on
 * the event source mapping): the stored ones are deleted by Lambda, the failed ones come back and end in the
 * dead-letter queue after its {@code maxReceiveCount}. Handler: {@code
 * io.modelmaestro.gateway.lambda.ActivityConsumerHandler::handleRequest}.
 */
public class ActivityConsumerHandler extends MicronautRequestHandler<SQSEvent, SQSBatchResponse> {

    /** The Lambda runtime's constructor: configuration from the environment and Secrets Manager. */
    public ActivityConsumerHandler() {
        super();
    }

    /** A handler over a context configured by the caller (tests). */
    public ActivityConsumerHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return super.newApplicationContextBuilder().properties(new AwsSettings(System::getenv).resolve());
    }

    @Override
    public SQSBatchResponse execute(SQSEvent event) {
        List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<Message> messages = new ArrayList<>(records.size());
        for (SQSEvent.SQSMessage r : records) {
            Map<String, String> attributes = r.getAttributes() == null ? Map.of() : r.getAttributes();
            messages.add(Message.builder()
                    .messageId(r.getMessageId())
                    .receiptHandle(r.getReceiptHandle())
                    .body(r.getBody())
                    .attributes(toSystemAttributes(attributes))
                    .build());
        }
        List<String> failed =
                getApplicationContext().getBean(SqsActivityConsumer.class).processBatch(messages);
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>(failed.size());
        for (String id : failed) {
            failures.add(new SQSBatchResponse.BatchItemFailure(id));
        }
        return new SQSBatchResponse(failures);
    }

    private static Map<MessageSystemAttributeName, String> toSystemAttributes(Map<String, String> attributes) {
        Map<MessageSystemAttributeName, String> result = new java.util.EnumMap<>(MessageSystemAttributeName.class);
        attributes.forEach((k, v) -> {
            MessageSystemAttributeName name = MessageSystemAttributeName.fromValue(k);
            if (name != MessageSystemAttributeName.UNKNOWN_TO_SDK_VERSION) {
                result.put(name, v);
            }
        });
        return result;
    }
}
