package io.modelmaestro.pool;

import io.modelmaestro.catalog.NodeType;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Finds the health check, model source and warmer of a node type among the registered beans (highest precedence
 * first). A type without one is reported as such by the services, never guessed.
 */
@Singleton
public class NodeSupport {

    private final List<NodeProbe> probes;
    private final List<NodeModelSource> sources;
    private final List<NodeWarmer> warmers;

    public NodeSupport(List<NodeProbe> probes, List<NodeModelSource> sources, List<NodeWarmer> warmers) {
        this.probes = probes.stream()
                .sorted(Comparator.comparingInt(NodeProbe::precedence).reversed())
                .toList();
        this.sources = sources.stream()
                .sorted(Comparator.comparingInt(NodeModelSource::precedence).reversed())
                .toList();
        this.warmers = warmers.stream()
                .sorted(Comparator.comparingInt(NodeWarmer::precedence).reversed())
                .toList();
    }

    public Optional<NodeProbe> probe(NodeType type) {
        return probes.stream().filter(p -> p.supports(type)).findFirst();
    }

    public Optional<NodeModelSource> modelSource(NodeType type) {
        return sources.stream().filter(s -> s.supports(type)).findFirst();
    }

    public Optional<NodeWarmer> warmer(NodeType type) {
        return warmers.stream().filter(w -> w.supports(type)).findFirst();
    }
}
