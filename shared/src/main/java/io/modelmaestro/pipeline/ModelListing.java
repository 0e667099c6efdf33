package io.modelmaestro.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.access.AccessPolicy;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.CatalogSnapshot;
import io.modelmaestro.catalog.ModelGroup;
import io.modelmaestro.catalog.ModelMapping;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.catalog.UserAccess;
import io.modelmaestro.jobs.ModelDiscoveryJob;
import io.modelmaestro.provider.anthropic.AnthropicHttp;
import io.modelmaestro.provider.bedrock.BedrockModelDiscovery;
import io.modelmaestro.provider.ollama.OllamaHttp;
import io.modelmaestro.provider.openai.OpenAiHttp;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The models a client can call, by the names it should use: every mapping's display name whose real model some
 * active node serves, and every other model of the active, unscoped nodes under its real name. A node's models come
 * from discovery when it has run ({@code node_models}, with the context length and, for Ollama, the {@code
 * /api/tags} entry it reported), else from the node itself ({@code GET /v1/models}, cached for 30 s, 5 s timeout,
 * failures ignored) so a fresh install lists something useful. Ollama nodes are asked for {@code GET /api/tags}
 * instead (falling back to {@code /v1/models}), which also gives the size, digest and details Ollama clients show;
 * an {@code anthropic} node for its own {@code GET /v1/models}; a {@code bedrock} node through
 * {@link BedrockModelDiscovery} (its control plane). Model groups the user may use follow the models.
 */
@Singleton
public class ModelListing {

    private static final Logger LOG = LoggerFactory.getLogger(ModelListing.class);

    private static final Duration CACHE = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final CatalogService catalog;
    private final OpenAiHttp openAi;
    private final OllamaHttp ollama;
    private final AnthropicHttp anthropic;
    private final BedrockModelDiscovery bedrock;
    private final InstantSource clock;
    private final ModelDiscoveryJob discovery;
    private final Map<Long, Cached> live = new ConcurrentHashMap<>();

    public ModelListing(
            CatalogService catalog,
            OpenAiHttp openAi,
            OllamaHttp ollama,
            AnthropicHttp anthropic,
            BedrockModelDiscovery bedrock,
            InstantSource clock,
            ModelDiscoveryJob discovery) {
        this.bedrock = bedrock;
        this.catalog = catalog;
        this.openAi = openAi;
        this.ollama = ollama;
        this.anthropic = anthropic;
        this.clock = clock;
        this.discovery = discovery;
    }

    /**
     * A listed model. {@code contextLength} comes from the mapping, else from what the node reported; {@code ollama}
     * is the Ollama node's own {@code /api/tags} entry for the real model, when it came from one.
     */
    public record ListedModel(
            String id,
            @Nullable Integer contextLength,
            List<String> capabilities,
            @Nullable ObjectNode ollama) {

        public ListedModel(String id, @Nullable Integer contextLength, List<String> capabilities) {
            this(id, contextLength, capabilities, null);
        }
    }

    private record NodeModel(
            String name,
            @Nullable Integer contextLength,
            @Nullable ObjectNode entry) {}

    private record Cached(Instant at, List<NodeModel> models) {}

    /** What {@code access} may call: allowed names on allowed nodes, with a model allowed on that node. */
    public Mono<List<ListedModel>> list(UserAccess access) {
        CatalogSnapshot snapshot = catalog.snapshot();
        List<Node> nodes = snapshot.nodes().stream()
                .filter(n -> n.active() && n.healthy() && access.nodeAllowed(n.id()))
                .toList();
        return Flux.fromIterable(nodes)
                .flatMap(n -> modelsOf(snapshot, n).map(models -> Map.entry(n, allowedOn(access, snapshot, n, models))))
                .collectList()
                .map(entries -> {
                    List<ListedModel> out = new ArrayList<>(assemble(snapshot, entries).stream()
                            .filter(m -> AccessPolicy.listed(access, m.id()))
                            .toList());
                    addGroups(snapshot, access, out);
                    return out;
                });
    }

    /**
     * Enabled groups with {@code list_in_catalog} and at least one enabled member, when the user may ask for them. A
     * group listed under the name of a model replaces it (the group is what that name resolves to). The context
     * length shown is the smallest one its members' mappings declare, the one every member can hold.
     */
    private static void addGroups(CatalogSnapshot snapshot, UserAccess access, List<ListedModel> out) {
        for (ModelGroup group : snapshot.groups()) {
            if (!group.enabled()
                    || !group.listInCatalog()
                    || group.enabledMembers().isEmpty()
                    || !AccessPolicy.listed(access, group.name())) {
                continue;
            }
            Integer context = null;
            for (ModelGroup.Member m : group.enabledMembers()) {
                ModelMapping mapping = snapshot.mapping(m.model());
                Integer ctx = mapping == null ? null : mapping.contextLength();
                if (ctx != null && (context == null || ctx < context)) {
                    context = ctx;
                }
            }
            out.removeIf(m -> m.id().equals(group.name()));
            out.add(new ListedModel(group.name(), context, List.of()));
        }
    }

    private static List<NodeModel> allowedOn(
            UserAccess access, CatalogSnapshot snapshot, Node node, List<NodeModel> models) {
        List<NodeModel> out = new ArrayList<>(models.size());
        for (NodeModel m : models) {
            boolean allowed = access.nodeModelAllowed(node.id(), m.name(), null)
                    || snapshot.mappingsForReal(m.name(), node.id()).stream()
                            .anyMatch(mm -> access.nodeModelAllowed(node.id(), m.name(), mm.displayName()));
            if (allowed) {
                out.add(m);
            }
        }
        return out;
    }

    private List<ListedModel> assemble(CatalogSnapshot snapshot, List<Map.Entry<Node, List<NodeModel>>> entries) {
        Map<String, ListedModel> out = new TreeMap<>();
        Map<String, Integer> realContext = new LinkedHashMap<>();
        for (Map.Entry<Node, List<NodeModel>> e : entries) {
            Node node = e.getKey();
            for (NodeModel m : e.getValue()) {
                if (m.contextLength() != null) {
                    realContext.putIfAbsent(m.name(), m.contextLength());
                }
                List<ModelMapping> mapped = snapshot.mappingsForReal(m.name(), node.id());
                if (mapped.isEmpty() && !node.scopedModels()) {
                    out.putIfAbsent(m.name(), new ListedModel(m.name(), m.contextLength(), List.of(), m.entry()));
                }
                for (ModelMapping mapping : mapped) {
                    if (!node.scopedModels() || !mapping.global()) {
                        Integer ctx = mapping.contextLength() != null ? mapping.contextLength() : m.contextLength();
                        out.put(
                                mapping.displayName(),
                                new ListedModel(mapping.displayName(), ctx, mapping.capabilities(), m.entry()));
                    }
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    private Mono<List<NodeModel>> modelsOf(CatalogSnapshot snapshot, Node node) {
        Set<String> known = node.knownModels();
        if (known != null) {
            // Discovery ran (docs/node-pool.md): its rows decide, with what the node reported about each model.
            boolean ollamaNode = node.type() == NodeType.OLLAMA;
            return Mono.just(snapshot.discovered(node.id()).stream()
                    .map(m -> new NodeModel(m.name(), m.contextLength(), ollamaNode ? m.entry() : null))
                    .toList());
        }
        Cached cached = live.get(node.id());
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.at().plus(CACHE))) {
            return Mono.just(cached.models());
        }
        if (node.type() == NodeType.BEDROCK) {
            return Mono.fromCallable(() -> bedrock.discover(node).stream()
                            .map(m -> new NodeModel(m.name(), null, null))
                            .toList())
                    .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                    .timeout(TIMEOUT)
                    .doOnNext(models -> live.put(node.id(), new Cached(now, models)))
                    .onErrorResume(e -> Mono.just(cached == null ? List.of() : cached.models()));
        }
        Mono<JsonNode> answer;
        if (node.type().speaksOpenAi()) {
            answer = openAi.getJson(node, "/models");
        } else if (node.type() == NodeType.ANTHROPIC) {
            answer = anthropic.getJson(node, "/models?limit=1000");
        } else {
            return Mono.just(List.of());
        }
        Mono<List<NodeModel>> fromV1 = answer.timeout(TIMEOUT).map(ModelListing::parse);
        Mono<List<NodeModel>> fetch = node.type() == NodeType.OLLAMA
                ? ollama.getJson(node, "/api/tags")
                        .timeout(TIMEOUT)
                        .map(ModelListing::parseTags)
                        .onErrorResume(e -> fromV1)
                : fromV1;
        return fetch.doOnNext(models -> live.put(node.id(), new Cached(now, models)))
                .onErrorResume(e -> Mono.just(cached == null ? List.of() : cached.models()));
    }

    /**
     * Drops what was cached for a node, after its models changed (pull, delete, copy, create). A node whose models
     * discovery manages is synced again in the background, so a model just pulled becomes routable without waiting
     * for the next discovery run.
     */
    public void forget(long nodeId) {
        live.remove(nodeId);
        Node node = catalog.snapshot().node(nodeId).orElse(null);
        if (node != null && node.knownModels() != null) {
            Mono.fromCallable(() -> discovery.runFor(node))
                    .subscribeOn(Schedulers.boundedElastic())
                    .subscribe(
                            result -> LOG.debug("node {} re-synced after a model change: {}", node.name(), result),
                            error -> LOG.warn("re-sync of node {} failed: {}", node.name(), error.toString()));
        }
    }

    private static List<NodeModel> parseTags(JsonNode body) {
        List<NodeModel> out = new ArrayList<>();
        for (JsonNode m : body.path("models")) {
            String name = m.path("name").asText(m.path("model").asText(""));
            if (!name.isEmpty() && m instanceof ObjectNode entry) {
                out.add(new NodeModel(name, null, entry));
            }
        }
        return out;
    }

    private static List<NodeModel> parse(JsonNode body) {
        List<NodeModel> out = new ArrayList<>();
        for (JsonNode m : body.path("data")) {
            String id = m.path("id").asText("");
            if (!id.isEmpty()) {
                JsonNode len = m.get("max_model_len");
                out.add(new NodeModel(id, len != null && len.canConvertToInt() ? len.asInt() : null, null));
            }
        }
        return out;
    }
}
