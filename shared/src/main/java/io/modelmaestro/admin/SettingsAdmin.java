package io.modelmaestro.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.annotation.Transactional;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.persistence.SettingEntity;
import io.modelmaestro.persistence.SettingRepository;
import io.modelmaestro.settings.KnownSettings;
import io.modelmaestro.settings.RuntimeSettings;
import io.modelmaestro.settings.SettingDefinition;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET/PUT /admin/settings}: the known runtime settings with their types, defaults and current values. A
 * {@code PUT} changes several keys at once, all or nothing: every value is checked first (400 naming the key), then
 * written, and the change is audited with before and after. {@code null} resets a key to its default.
 */
@Singleton
public class SettingsAdmin {

    private final SettingRepository repository;
    private final RuntimeSettings settings;
    private final AuditService audit;

    public SettingsAdmin(SettingRepository repository, RuntimeSettings settings, AuditService audit) {
        this.repository = repository;
        this.settings = settings;
        this.audit = audit;
    }

    /** One setting as the admin API shows it. */
    public record SettingView(
            String key,
            String type,
            Object value,
            Object defaultValue,
            boolean isDefault,
            String description,
            Map<String, Object> constraints,
            @Nullable Instant updatedAt) {}

    public record SettingsView(List<SettingView> settings) {}

    public SettingsView list() {
        return new SettingsView(KnownSettings.all().stream().map(this::view).toList());
    }

    public SettingView get(String key) {
        return view(definition(key));
    }

    @Transactional
    public SettingsView update(JsonNode body, AdminActor actor) {
        if (!body.isObject() || body.isEmpty()) {
            throw new GatewayException.InvalidRequest(
                    "The request body must be a JSON object of setting keys to values, e.g."
                            + " {\"dashboard.default_days\": 14}",
                    null);
        }
        Map<SettingDefinition, @Nullable Object> changes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            SettingDefinition d = KnownSettings.find(e.getKey())
                    .orElseThrow(() -> FieldError.of(
                            e.getKey(),
                            "unknown setting (known: "
                                    + String.join(
                                            ", ",
                                            KnownSettings.all().stream()
                                                    .map(SettingDefinition::key)
                                                    .toList())
                                    + ")"));
            if (e.getValue().isNull()) {
                changes.put(d, null);
                continue;
            }
            SettingDefinition.Validated v = d.validate(e.getValue());
            if (v.error() != null || v.value() == null) {
                throw FieldError.of(d.key(), String.valueOf(v.error()));
            }
            changes.put(d, v.value());
        }
        Map<String, Object> before = new LinkedHashMap<>();
        Map<String, Object> after = new LinkedHashMap<>();
        changes.forEach((d, value) -> {
            SettingEntity current = repository.findById(d.key()).orElse(null);
            before.put(d.key(), d.load(current == null ? null : current.value()));
            boolean exists = current != null;
            if (value == null) {
                if (exists) {
                    repository.deleteById(d.key());
                }
                after.put(d.key(), d.defaultValue());
            } else {
                SettingEntity row = new SettingEntity(d.key(), d.store(value), d.description(), null);
                if (exists) {
                    repository.update(row);
                } else {
                    repository.save(row);
                }
                after.put(d.key(), value);
            }
        });
        settings.invalidate();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("before", before);
        details.put("after", after);
        audit.record("update_settings", "settings", String.join(",", after.keySet()), actor, details);
        return list();
    }

    private SettingView view(SettingDefinition d) {
        SettingEntity row = settings.row(d.key());
        Object value = settings.value(d);
        return new SettingView(
                d.key(),
                d.type().wireName(),
                value,
                d.defaultValue(),
                value.equals(d.defaultValue()),
                d.description(),
                d.constraints(),
                row == null ? null : row.updatedAt());
    }

    private static SettingDefinition definition(String key) {
        return KnownSettings.find(key).orElseThrow(() -> new GatewayException.NotFound("Unknown setting: " + key));
    }
}
