package io.modelmaestro.bench.jmh;

import io.modelmaestro.catalog.CatalogSnapshot;
import io.modelmaestro.catalog.ModelMapping;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.catalog.UserRecord;
import io.modelmaestro.routing.ModelResolver;
import io.modelmaestro.routing.Resolution;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Model resolution over a realistic catalog: 24 nodes (Ollama and OpenAI-compatible, some with discovered model
 * lists, some scoped, two inactive), 150 mappings (global and node-specific), 500 users.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms512m", "-Xmx512m"})
public class ModelResolveBench {

    private final CatalogSnapshot catalog = catalog();

    // Node's knownModels is nullable (never discovered); NullAway does not see the record component's annotation.
    @SuppressWarnings("NullAway")
    static CatalogSnapshot catalog() {
        List<Node> nodes = new ArrayList<>();
        for (int i = 1; i <= 24; i++) {
            Set<String> known = null;
            if (i % 3 != 0) {
                known = new HashSet<>();
                for (int m = 0; m < 40; m++) {
                    known.add("model-" + ((i * 7 + m) % 60) + ":latest");
                }
                known.add("qwen2.5-coder:32b");
            }
            nodes.add(new Node(
                    i,
                    "node-" + i,
                    "n" + i,
                    i % 2 == 0 ? NodeType.OLLAMA : NodeType.OPENAI,
                    "http://10.0.0." + i + ":11434",
                    i % 5,
                    1 + i % 3,
                    i != 7 && i != 19,
                    i % 8 == 0,
                    true,
                    i % 2 == 0 ? null : "sk-node-" + i,
                    Map.of(),
                    known));
        }
        List<ModelMapping> mappings = new ArrayList<>();
        for (int m = 0; m < 150; m++) {
            Set<Long> on = m % 4 == 0 ? Set.of((long) (m % 24) + 1, (long) ((m + 5) % 24) + 1) : Set.of();
            mappings.add(
                    new ModelMapping(m, "alias-" + m, "model-" + (m % 60) + ":latest", on, 32768, List.of("chat")));
        }
        mappings.add(new ModelMapping(1000, "coder", "qwen2.5-coder:32b", Set.of(), 32768, List.of("chat", "tools")));
        List<UserRecord> users = new ArrayList<>();
        for (int u = 0; u < 500; u++) {
            users.add(new UserRecord(u, "user" + u, "jti-" + u, true));
        }
        return new CatalogSnapshot(nodes, mappings, users);
    }

    /** A mapped display name (the common case: clients use the friendly name). */
    @Benchmark
    public Resolution mappedName() {
        return ModelResolver.resolve("coder", catalog);
    }

    /** A real model name without a mapping, with the {@code :latest} rule. */
    @Benchmark
    public Resolution realName() {
        return ModelResolver.resolve("model-12", catalog);
    }

    /** {@code node:CODE:model} pinning. */
    @Benchmark
    public Resolution pinned() {
        return ModelResolver.resolve("node:n4:alias-3", catalog);
    }
}
