package io.modelmaestro.bench.run;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A value per arm, created on first use (keeps the scenarios free of nullable map look-ups). */
final class PerArm<V> {
    private final Map<Arm, V> values = new LinkedHashMap<>();
    private final Function<Arm, V> init;

    PerArm(Function<Arm, V> init) {
        this.init = init;
    }

    V get(Arm arm) {
        V v = values.get(arm);
        if (v == null) {
            v = init.apply(arm);
            values.put(arm, v);
        }
        return v;
    }

    void put(Arm arm, V value) {
        values.put(arm, value);
    }

    Collection<V> values() {
        return values.values();
    }
}
