package io.modelmaestro.routing;

import io.modelmaestro.catalog.Node;
import io.modelmaestro.catalog.NodeType;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Builds {@link Node}s for routing tests: active, healthy, undiscovered, priority 0 and weight 1 unless told. */
final class TestNodes {

    private TestNodes() {}

    static Builder node(long id) {
        return new Builder(id);
    }

    static final class Builder {
        private final long id;
        private @Nullable String code;
        private int priority;
        private int weight = 1;
        private boolean active = true;
        private boolean scopedModels;
        private boolean healthy = true;
        private @Nullable Set<String> knownModels;

        private Builder(long id) {
            this.id = id;
        }

        Builder code(String value) {
            code = value;
            return this;
        }

        Builder priority(int value) {
            priority = value;
            return this;
        }

        Builder weight(int value) {
            weight = value;
            return this;
        }

        Builder inactive() {
            active = false;
            return this;
        }

        Builder scopedModels() {
            scopedModels = true;
            return this;
        }

        Builder unhealthy() {
            healthy = false;
            return this;
        }

        Builder knownModels(String... models) {
            knownModels = Set.of(models);
            return this;
        }

        Node build() {
            return new Node(
                    id,
                    "node-" + id,
                    code,
                    NodeType.OLLAMA,
                    "http://10.0.0." + id + ":11434",
                    priority,
                    weight,
                    active,
                    scopedModels,
                    healthy,
                    null,
                    Map.of(),
                    knownModels);
        }

        Target target() {
            return new Target(build(), "model", null);
        }
    }
}
