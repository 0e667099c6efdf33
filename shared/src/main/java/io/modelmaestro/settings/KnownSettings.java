package io.modelmaestro.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings an admin can change at run time ({@code GET/PUT /admin/settings}). Only these keys are accepted; each
 * says who reads it. A component that wants a new runtime knob adds its definition here and reads it through
 * {@link RuntimeSettings}.
 */
public final class KnownSettings {

    public static final String DASHBOARD_DEFAULT_DAYS = "dashboard.default_days";
    public static final String UI_INSTANCE_NAME = "ui.instance_name";
    public static final String HEALTH_CHECK_INTERVAL = "health.check_interval_seconds";
    public static final String DISCOVERY_INTERVAL = "discovery.interval_seconds";
    public static final String WARMUP_INTERVAL = "warmup.interval_seconds";

    private static final List<SettingDefinition> ALL = List.of(
            SettingDefinition.integer(
                    DASHBOARD_DEFAULT_DAYS,
                    7,
                    1,
                    90,
                    "Days of history GET /admin/dashboard/stats covers when the request does not say (?days=)."),
            SettingDefinition.string(
                    UI_INSTANCE_NAME,
                    "Model Maestro",
                    1,
                    100,
                    "The name the admin site shows for this gateway (for example to tell staging from production)."),
            SettingDefinition.integer(
                    HEALTH_CHECK_INTERVAL,
                    60,
                    10,
                    86_400,
                    "Seconds between two active health checks of a node (read by the node health job)."),
            SettingDefinition.integer(
                    DISCOVERY_INTERVAL,
                    300,
                    60,
                    86_400,
                    "Seconds between two model discoveries on nodes with auto_sync_enabled (read by the discovery job)."),
            SettingDefinition.integer(
                    WARMUP_INTERVAL,
                    240,
                    60,
                    86_400,
                    "Seconds between two warm-up calls on nodes with warmup_enabled (read by the warm-up job)."));

    private static final Map<String, SettingDefinition> BY_KEY = index();

    private KnownSettings() {}

    public static List<SettingDefinition> all() {
        return ALL;
    }

    public static Optional<SettingDefinition> find(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    public static SettingDefinition get(String key) {
        SettingDefinition d = BY_KEY.get(key);
        if (d == null) {
            throw new IllegalArgumentException("unknown setting " + key);
        }
        return d;
    }

    private static Map<String, SettingDefinition> index() {
        Map<String, SettingDefinition> out = new LinkedHashMap<>();
        for (SettingDefinition d : ALL) {
            out.put(d.key(), d);
        }
        return out;
    }
}
