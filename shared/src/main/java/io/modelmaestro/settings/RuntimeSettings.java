package io.modelmaestro.settings;

import io.modelmaestro.persistence.SettingEntity;
import io.modelmaestro.persistence.SettingRepository;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The read side of the runtime settings: typed values, the default for a key with no row (or a row that no longer
 * fits its definition). Reads come from a snapshot of the table that is at most {@link #MAX_AGE} old on this
 * instance; {@link #invalidate()} (called after every admin change) makes the next read fresh.
 */
@Singleton
public class RuntimeSettings {

    static final Duration MAX_AGE = Duration.ofSeconds(10);

    private final SettingRepository repository;
    private final InstantSource clock;
    private final AtomicReference<@Nullable Snapshot> snapshot = new AtomicReference<>();

    public RuntimeSettings(SettingRepository repository, InstantSource clock) {
        this.repository = repository;
        this.clock = clock;
    }

    private record Snapshot(Map<String, SettingEntity> rows, Instant loadedAt) {}

    public long integer(String key) {
        return (Long) value(KnownSettings.get(key));
    }

    public boolean bool(String key) {
        return (Boolean) value(KnownSettings.get(key));
    }

    public String string(String key) {
        return (String) value(KnownSettings.get(key));
    }

    /** The typed value of a known setting. */
    public Object value(SettingDefinition definition) {
        SettingEntity row = rows().get(definition.key());
        return definition.load(row == null ? null : row.value());
    }

    /** The stored row of a key, if any (for {@code updated_at}). */
    public @Nullable SettingEntity row(String key) {
        return rows().get(key);
    }

    public void invalidate() {
        snapshot.set(null);
    }

    private Map<String, SettingEntity> rows() {
        Snapshot s = snapshot.get();
        Instant now = clock.instant();
        if (s == null || s.loadedAt().plus(MAX_AGE).isBefore(now)) {
            Map<String, SettingEntity> rows = new HashMap<>();
            repository.findAll().forEach(r -> rows.put(r.key(), r));
            s = new Snapshot(Map.copyOf(rows), now);
            snapshot.set(s);
        }
        return s.rows();
    }
}
