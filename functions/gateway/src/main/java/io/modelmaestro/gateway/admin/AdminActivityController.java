package io.modelmaestro.gateway.admin;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.modelmaestro.admin.ActivityQueries;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The request log and usage aggregates (plus the original product's per-user and dashboard paths). */
@Controller("/admin")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdminActivityController {

    private final ActivityQueries queries;

    public AdminActivityController(ActivityQueries queries) {
        this.queries = queries;
    }

    @Get("/requests")
    ActivityQueries.LogPage requests(
            @QueryValue @Nullable String user,
            @QueryValue @Nullable String model,
            @QueryValue("node_id") @Nullable Long nodeId,
            @QueryValue @Nullable String source,
            @QueryValue @Nullable String status,
            @QueryValue @Nullable String from,
            @QueryValue @Nullable String to,
            @QueryValue(defaultValue = "50") int limit,
            @QueryValue(defaultValue = "0") int offset) {
        return queries.requests(
                new ActivityQueries.LogFilter(user, model, nodeId, source, status, from, to, null, limit, offset));
    }

    @Get("/dashboard/requests-log")
    ActivityQueries.LogPage requestsLog(
            @QueryValue @Nullable String source,
            @QueryValue("url_path") @Nullable String urlPath,
            @QueryValue(defaultValue = "50") int limit,
            @QueryValue(defaultValue = "0") int offset) {
        return queries.requests(
                new ActivityQueries.LogFilter(null, null, null, source, null, null, null, urlPath, limit, offset));
    }

    @Get("/usage")
    ActivityQueries.UsageReport usage(
            @QueryValue(value = "group_by", defaultValue = "user") String groupBy,
            @QueryValue @Nullable String from,
            @QueryValue @Nullable String to,
            @QueryValue @Nullable String user) {
        return queries.usage(groupBy, from, to, user);
    }

    @Get("/users/{username}/activity")
    ActivityQueries.LogPage userActivity(
            String username, @QueryValue(defaultValue = "100") int limit, @QueryValue(defaultValue = "0") int offset) {
        return queries.requests(
                new ActivityQueries.LogFilter(username, null, null, null, null, null, null, null, limit, offset));
    }

    @Get("/users/{username}/token-usage")
    Map<String, Object> tokenUsage(
            String username,
            @QueryValue("start_date") @Nullable String startDate,
            @QueryValue("end_date") @Nullable String endDate) {
        return queries.tokenUsage(username, startDate, endDate);
    }

    @Get("/users/{username}/model-usage")
    ActivityQueries.UsageReport modelUsage(
            String username, @QueryValue @Nullable String from, @QueryValue @Nullable String to) {
        return queries.usage("model", from, to, username);
    }
}
