package io.modelmaestro.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.CronOptions;
import software.amazon.awscdk.services.events.EventField;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

/**
 * The background jobs: one EventBridge rule per job, each invoking the scheduled-jobs function with a ScheduledEvent
 * whose {@code detail} names the job ({@code {"job":"health-check"}} …).
 */
public class SchedulesStack extends Construct {

    public static final String HANDLER = "io.modelmaestro.gateway.lambda.ScheduledJobsHandler::handleRequest";

    /** Job name → schedule. */
    public static final Map<String, Schedule> JOBS = Map.of(
            "health-check", Schedule.rate(Duration.minutes(1)),
            "model-discovery", Schedule.rate(Duration.minutes(15)),
            "warmup", Schedule.rate(Duration.minutes(5)),
            "retention",
                    Schedule.cron(CronOptions.builder().hour("3").minute("17").build()));

    private final Function jobs;
    private final Alias alias;

    public SchedulesStack(Construct scope, String id, NetworkStack network, DataStack data, Artifacts artifacts) {
        super(scope, id);
        jobs = ApiStack.FunctionDefaults.function(
                this,
                "ScheduledJobs",
                network,
                data,
                artifacts.gatewayCode(),
                HANDLER,
                Duration.minutes(5),
                ApiStack.FunctionDefaults.environment(data));
        alias = ApiStack.FunctionDefaults.liveAlias(jobs);
        for (String job : List.of("health-check", "model-discovery", "warmup", "retention")) {
            Rule rule = Rule.Builder.create(this, "Job-" + job)
                    .description("Model Maestro job: " + job)
                    .schedule(JOBS.get(job))
                    .build();
            rule.addTarget(LambdaFunction.Builder.create(alias)
                    .event(RuleTargetInput.fromObject(Map.of(
                            "version", "0",
                            "id", EventField.getEventId(),
                            "detail-type", "Scheduled Event",
                            "source", "aws.events",
                            "account", EventField.getAccount(),
                            "time", EventField.getTime(),
                            "region", EventField.getRegion(),
                            "resources", EventField.fromPath("$.resources"),
                            "detail", Map.of("job", job))))
                    .retryAttempts(2)
                    .build());
        }
    }

    public Function jobs() {
        return jobs;
    }

    public Alias alias() {
        return alias;
    }
}
