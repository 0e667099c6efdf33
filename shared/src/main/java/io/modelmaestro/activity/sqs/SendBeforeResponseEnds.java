package io.modelmaestro.activity.sqs;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * On Lambda, a response may end only after its activity event is in SQS. Lambda freezes the process as soon as an
 * invocation ends, which for the streaming function (the local runtime behind the Lambda Web Adapter) is when the HTTP
 * response ends, and a frozen instance may be reclaimed without running shutdown hooks: an event still in the
 * producer's buffer would be lost. With {@code maestro.activity.send-before-response-ends=true} (set on AWS by
 * {@code AwsSettings}) every model call's answer waits for the producer to have sent what was accepted before it
 * ends: a whole answer before it is written, a stream before its end (ADR 0013).
 */
@Singleton
@Requires(property = "maestro.activity.send-before-response-ends", value = "true")
@Requires(beans = SqsActivitySink.class)
public class SendBeforeResponseEnds {

    private static final Logger LOG = LoggerFactory.getLogger(SendBeforeResponseEnds.class);

    /** Longer than an SQS call with its retries usually takes; an event still unsent then stays buffered. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final SqsActivitySink sink;

    public SendBeforeResponseEnds(SqsActivitySink sink) {
        this.sink = sink;
    }

    /** Blocks until every event accepted so far is sent, at most {@link #TIMEOUT}. */
    public void sendNow() {
        sendNow(sink);
    }

    /** Blocks until every event {@code sink} accepted so far is sent, at most {@link #TIMEOUT}. */
    public static void sendNow(SqsActivitySink sink) {
        if (!sink.flush(TIMEOUT)) {
            LOG.warn(
                    "activity events still unsent after {} ms; they stay buffered until the next invocation",
                    TIMEOUT.toMillis());
        }
    }

    /** {@link #sendNow()} off the event loop, completing when it is done. */
    public Mono<Void> send() {
        return Mono.<Void>fromRunnable(this::sendNow).subscribeOn(Schedulers.boundedElastic());
    }
}
