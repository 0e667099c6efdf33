/**
 * The background jobs (health checks, model discovery, warmup, activity retention) as plain classes with a {@code
 * run()} that returns a summary and no scheduler inside: the local runtime schedules them ({@link
 * io.modelmaestro.jobs.JobScheduler}), on AWS an EventBridge rule invokes the scheduled Lambda handler. A lease in
 * PostgreSQL ({@link io.modelmaestro.jobs.JobLeases}) keeps a job from running twice at once for one node.
 */
@NullMarked
package io.modelmaestro.jobs;

import org.jspecify.annotations.NullMarked;
