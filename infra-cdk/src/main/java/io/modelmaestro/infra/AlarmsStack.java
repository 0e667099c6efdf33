package io.modelmaestro.infra;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * Alarms to an SNS topic (subscribe an address after deploying): a message in the dead-letter queue, API 5xx, and per
 * function errors, throttles and a p99 duration near the timeout.
 */
public class AlarmsStack extends Construct {

    private final Topic topic;

    public AlarmsStack(
            Construct scope, String id, DataStack data, QueueStack queue, ApiStack api, SchedulesStack schedules) {
        super(scope, id);
        topic = Topic.Builder.create(this, "Alarms")
                .displayName("Model Maestro alarms")
                .masterKey(data.key())
                .build();
        alarm(
                "DeadLetters",
                queue.deadLetters().metricApproximateNumberOfMessagesVisible(),
                1,
                "activity events are in the dead-letter queue (docs/deploy.md: redrive)");
        alarm(
                "Api5xx",
                api.httpApi()
                        .metricServerError(MetricOptions.builder()
                                .period(Duration.minutes(5))
                                .statistic("Sum")
                                .build()),
                5,
                "the HTTP API answered 5xx");
        for (Function fn : List.of(api.api(), api.stream(), api.consumer(), schedules.jobs())) {
            String name = fn.getNode().getId();
            alarm(name + "Errors", fn.metricErrors(sum()), 5, name + " function errors");
            alarm(name + "Throttles", fn.metricThrottles(sum()), 1, name + " throttled");
            software.amazon.awscdk.Duration timeout = fn.getTimeout();
            double timeoutMs =
                    timeout == null ? 30_000 : timeout.toMilliseconds().doubleValue();
            alarm(
                    name + "Duration",
                    fn.metricDuration(MetricOptions.builder()
                            .period(Duration.minutes(5))
                            .statistic("p99")
                            .build()),
                    0.8 * timeoutMs,
                    name + " p99 duration above 80% of its timeout");
        }
    }

    private static MetricOptions sum() {
        return MetricOptions.builder()
                .period(Duration.minutes(5))
                .statistic("Sum")
                .build();
    }

    private void alarm(String id, IMetric metric, double threshold, String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
    }

    public Topic topic() {
        return topic;
    }
}
