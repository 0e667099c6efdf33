package io.modelmaestro.gateway.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.micronaut.context.ApplicationContext;
import io.modelmaestro.jobs.Job;
import io.modelmaestro.jobs.JobSummary;
import io.modelmaestro.jobs.Jobs;
import io.modelmaestro.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Lambda function EventBridge schedules invoke to run the background jobs ({@code io.modelmaestro.jobs}). The job
 * is named by the rule's input, {@code detail.job} ({@code {"job": "health-check"}}), or else by the rule's name (the
 * last part of the first {@code resources} ARN, e.g. {@code …:rule/maestro-health-check}, which must end with a job's
 * name). Jobs: {@code health-check}, {@code model-discovery}, {@code warmup}, {@code retention}. An unknown job is an
 * error (the invocation fails and EventBridge's retry/DLQ settings apply). The answer is the job's summary.
 *
 * <p>The application context is built once per Lambda container (configuration from the environment, e.g. {@code
 * DATASOURCES_DEFAULT_URL}, {@code MAESTRO_ENCRYPTION_KEY}); no HTTP server is started.
 */
public class ScheduledJobsHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {

    private static volatile @Nullable ApplicationContext shared;

    private final @Nullable ApplicationContext context;

    /** Used by the Lambda runtime. */
    public ScheduledJobsHandler() {
        this.context = null;
    }

    /** Used by tests: runs the jobs of an existing context. */
    public ScheduledJobsHandler(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, @Nullable Context lambdaContext) {
        Jobs jobs = context().getBean(Jobs.class);
        String name = jobName(event, jobs);
        Job job = jobs.named(name)
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown job '" + name + "'; known: " + String.join(", ", jobs.names())));
        JobSummary summary = job.run();
        @SuppressWarnings("unchecked")
        Map<String, Object> out = Json.mapper().convertValue(summary, LinkedHashMap.class);
        return out;
    }

    /** The job the event asks for: {@code detail.job}, else the rule name from {@code resources}. */
    static String jobName(ScheduledEvent event, Jobs jobs) {
        Map<String, Object> detail = event.getDetail();
        if (detail != null && detail.get("job") instanceof String job && !job.isBlank()) {
            return job;
        }
        List<String> resources = event.getResources();
        if (resources != null) {
            for (String arn : resources) {
                Optional<String> match = fromRuleName(arn, jobs);
                if (match.isPresent()) {
                    return match.get();
                }
            }
        }
        throw new IllegalArgumentException(
                "the event names no job: set the rule's input to {\"job\": \"<name>\"} or end the rule's name with one"
                        + " of " + String.join(", ", jobs.names()));
    }

    private static Optional<String> fromRuleName(String arn, Jobs jobs) {
        String rule = arn.substring(arn.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        String best = null;
        for (String name : jobs.names()) {
            if (rule.endsWith(name) && (best == null || name.length() > best.length())) {
                best = name;
            }
        }
        return Optional.ofNullable(best);
    }

    private ApplicationContext context() {
        ApplicationContext own = context;
        if (own != null) {
            return own;
        }
        ApplicationContext ctx = shared;
        if (ctx == null) {
            synchronized (ScheduledJobsHandler.class) {
                ctx = shared;
                if (ctx == null) {
                    // The same AWS-mode settings as the other handlers: no embedded servers, secrets from the
                    // environment or Secrets Manager (docs/deploy.md).
                    ctx = ApplicationContext.builder()
                            .environments("lambda", "function")
                            .properties(new AwsSettings(System::getenv).resolve())
                            .start();
                    shared = ctx;
                }
            }
        }
        return ctx;
    }
}
