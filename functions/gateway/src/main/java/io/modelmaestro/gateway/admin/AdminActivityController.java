package io.modelmaestro.gateway.admin;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.modelmaestro.admin.ActivityQueries;
import io.modelmaestro.admin.DashboardQueries;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The request log and usage aggregates (plus the original product's per-user and dashboard paths). */
@Controller("/admin")
@Tag(name = "Admin: activity")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdminActivityController {

    private final ActivityQueries queries;
    private final DashboardQueries dashboard;

    public AdminActivityController(ActivityQueries queries, DashboardQueries dashboard) {
        this.queries = queries;
        this.dashboard = dashboard;
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
            @QueryValue("request_id") @Nullable String requestId,
            @QueryValue(defaultValue = "50") int limit,
            @QueryValue(defaultValue = "0") int offset) {
        return queries.requests(new ActivityQueries.LogFilter(
                user, model, nodeId, source, status, from, to, null, requestId, limit, offset));
    }

    @Get("/dashboard/requests-log")
    ActivityQueries.LogPage requestsLog(
            @QueryValue @Nullable String source,
            @QueryValue("url_path") @Nullable String urlPath,
            @QueryValue(defaultValue = "50") int limit,
            @QueryValue(defaultValue = "0") int offset) {
        return queries.requests(new ActivityQueries.LogFilter(
                null, null, null, source, null, null, null, urlPath, null, limit, offset));
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
    ActivityQueries.UserActivity userActivity(
            String username, @QueryValue(defaultValue = "100") int limit, @QueryValue(defaultValue = "0") int offset) {
        return queries.userActivity(username, limit, offset);
    }

    @Get("/dashboard/stats")
    @Operation(
            summary = "Users, nodes, and requests and tokens today and over the last N days (UTC) by day, model and"
                    + " user")
    DashboardQueries.Stats stats(@QueryValue @Nullable Integer days, @QueryValue @Nullable Integer top) {
        return dashboard.stats(days, top);
    }

    @Get("/users/{username}/token-usage")
    Map<String, Object> tokenUsage(
            String username,
            @QueryValue("start_date") @Nullable String startDate,
            @QueryValue("end_date") @Nullable String endDate) {
        return queries.tokenUsage(username, startDate, endDate);
    }

    @Get("/users/{username}/model-usage")
    ActivityQueries.ModelUsage modelUsage(
            String username,
            @QueryValue @Nullable String from,
            @QueryValue @Nullable String to,
            @QueryValue("start_date") @Nullable String startDate,
            @QueryValue("end_date") @Nullable String endDate) {
        return queries.modelUsage(username, from != null ? from : startDate, to != null ? to : endDate);
    }
}
