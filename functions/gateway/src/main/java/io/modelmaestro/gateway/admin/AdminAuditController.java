package io.modelmaestro.gateway.admin;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.modelmaestro.admin.AuditQueries;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

/** {@code GET /admin/audit-logs}: who changed what, newest first. */
@Controller("/admin/audit-logs")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Admin: audit")
public class AdminAuditController {

    private final AuditQueries audit;

    public AdminAuditController(AuditQueries audit) {
        this.audit = audit;
    }

    @Get
    @Operation(summary = "The audit log, filtered and paged (limit ≤ 500), newest first")
    AuditQueries.AuditPage list(
            @QueryValue @Nullable String action,
            @QueryValue("entity_type") @Nullable String entityType,
            @QueryValue("entity_id") @Nullable String entityId,
            @QueryValue("performed_by") @Nullable String performedBy,
            @QueryValue @Nullable String from,
            @QueryValue @Nullable String to,
            @QueryValue(defaultValue = "50") int limit,
            @QueryValue(defaultValue = "0") int offset) {
        return audit.list(
                new AuditQueries.AuditFilter(action, entityType, entityId, performedBy, from, to, limit, offset));
    }
}
