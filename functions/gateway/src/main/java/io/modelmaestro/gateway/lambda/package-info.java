/**
 * The AWS Lambda entry points (docs/deploy.md, ADR 0013): the API Gateway HTTP API handler, the activity-log SQS
 * consumer, the AWS-mode settings shared with the streaming function (the Netty runtime behind the Lambda Web
 * Adapter), and the SnapStart hooks; the EventBridge scheduled jobs (`ScheduledJobsHandler`, docs/node-pool.md).
 */
@NullMarked
package io.modelmaestro.gateway.lambda;

import org.jspecify.annotations.NullMarked;
