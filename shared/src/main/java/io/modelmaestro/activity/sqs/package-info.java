/**
 * The activity-log pipeline through SQS: {@link io.modelmaestro.activity.sqs.SqsActivitySink} (producer, off the
 * request path), {@link io.modelmaestro.activity.sqs.SqsActivityConsumer} (batch → PostgreSQL, partial failures) and
 * {@link io.modelmaestro.activity.sqs.SqsActivityPoller} (the local runtime's receive loop). The only package of the
 * gateway that may use the AWS SDK (besides Bedrock); see docs/adr/0007-activity-pipeline.md.
 */
@NullMarked
package io.modelmaestro.activity.sqs;

import org.jspecify.annotations.NullMarked;
