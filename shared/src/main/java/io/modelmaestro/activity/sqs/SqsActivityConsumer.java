package io.modelmaestro.activity.sqs;

import io.modelmaestro.activity.ActivityBatchWriter;
import io.modelmaestro.activity.ActivityEvent;
import io.modelmaestro.activity.ActivityEventJson;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The consumer side: one batch of SQS messages (each a JSON array of events, {@link ActivityEventJson#decodeAll})
 * into {@code activity_logs}, reporting which messages failed — exactly
 * what a Lambda {@code SQSBatchResponse} needs (its handler converts its records into {@link Message}s and returns
 * these ids as {@code batchItemFailures}), and what the local {@link SqsActivityPoller} deletes or leaves.
 *
 * <p>A body that cannot be parsed fails alone; the events of the others are inserted together by
 * {@link ActivityBatchWriter}
 * ({@code ON CONFLICT (request_id) DO NOTHING}, so a redelivered or duplicated message is a success, not a second
 * row). A message one of whose rows the database refuses fails alone too. When the database is unreachable every message
 * fails and {@link Outcome#databaseUnavailable()} says so. Nothing here throws for a bad message or a database error:
 * an exception would fail the whole batch.
 */
@Singleton
public class SqsActivityConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(SqsActivityConsumer.class);

    /**
     * @param failedMessageIds ids of the messages to leave in the queue (redelivered, and after the queue's
     *     {@code maxReceiveCount} moved to its dead-letter queue)
     * @param storedEvents events of the messages whose events are all in the table now (inserted now or already
     *     there)
     * @param poison messages that could not be parsed
     * @param databaseUnavailable the database could not be reached (every parsed message failed)
     */
    public record Outcome(List<String> failedMessageIds, int storedEvents, int poison, boolean databaseUnavailable) {}

    private final ActivityBatchWriter writer;

    public SqsActivityConsumer(ActivityBatchWriter writer) {
        this.writer = writer;
    }

    /** Processes a batch and returns the ids of the messages that failed (empty: all stored). */
    public List<String> processBatch(List<Message> messages) {
        return process(messages).failedMessageIds();
    }

    public Outcome process(List<Message> messages) {
        List<String> failed = new ArrayList<>();
        List<Message> parsed = new ArrayList<>(messages.size());
        List<List<ActivityEvent>> carried = new ArrayList<>(messages.size());
        List<ActivityEvent> events = new ArrayList<>(messages.size() * SqsActivitySink.MAX_EVENTS_PER_MESSAGE);
        int poison = 0;
        for (Message m : messages) {
            try {
                List<ActivityEvent> body = ActivityEventJson.decodeAll(m.body());
                parsed.add(m);
                carried.add(body);
                events.addAll(body);
            } catch (RuntimeException e) {
                poison++;
                failed.add(m.messageId());
                LOG.error(
                        "activity message {} is not a valid event (receive #{}; it goes to the dead-letter queue"
                                + " after the queue's maxReceiveCount): {}",
                        m.messageId(),
                        receiveCount(m),
                        e.getMessage());
            }
        }
        ActivityBatchWriter.Result result = writer.write(events);
        int storedEvents = 0;
        for (int i = 0; i < parsed.size(); i++) {
            List<ActivityEvent> body = carried.get(i);
            if (body.stream().noneMatch(e -> result.failed().contains(e.requestId()))) {
                storedEvents += body.size();
            } else {
                // Left in the queue: its stored events are no-ops when it comes back (ON CONFLICT DO NOTHING).
                failed.add(parsed.get(i).messageId());
            }
        }
        return new Outcome(List.copyOf(failed), storedEvents, poison, result.unavailable());
    }

    /** Whether the database answers now (the local poller waits for this after an outage). */
    public boolean databaseAvailable() {
        return writer.available();
    }

    private static String receiveCount(Message m) {
        Map<MessageSystemAttributeName, String> attributes = m.attributes();
        String count = attributes.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        return count == null ? "?" : count;
    }
}
