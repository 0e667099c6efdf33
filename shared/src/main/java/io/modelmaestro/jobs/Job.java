package io.modelmaestro.jobs;

/** A background job: one run over everything it is responsible for. Safe to call from any thread or instance. */
public interface Job {

    /** The job's name as schedules and the Lambda event name it: {@code health-check}, {@code warmup}, ... */
    String name();

    JobSummary run();
}
