package io.modelmaestro.admin;

import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.AuditLogEntity;
import io.modelmaestro.persistence.AuditLogRepository;
import jakarta.inject.Singleton;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes one audit row per admin mutation. Callers pass details without secrets (keys are reported as "set"); views
 * are written with the admin API's snake_case names, so {@code before}/{@code after} read like the API's answers.
 */
@Singleton
public class AuditService {

    private final AuditLogRepository repository;

    public AuditService(AuditLogRepository repository) {
        this.repository = repository;
    }

    public void record(
            String action, String entityType, @Nullable Object entityId, AdminActor actor, Map<String, ?> details) {
        repository.save(new AuditLogEntity(
                null,
                action,
                entityType,
                entityId == null ? null : entityId.toString(),
                actor.name(),
                Json.writeStringSnakeCase(details),
                actor.ip(),
                null));
    }
}
