package io.modelmaestro.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Value;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.CatalogSnapshot;
import io.modelmaestro.catalog.ModelMapping;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.catalog.UserAccess;
import io.modelmaestro.json.Json;
import io.modelmaestro.provider.ollama.OllamaHttp;
import io.modelmaestro.wire.ollama.OllamaShow;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Ollama model listings: {@code GET /api/tags} (every model a client can call, by display name, once each, with
 * the Ollama node's size, digest and details when the model lives on one), {@code GET /api/ps} (what the Ollama
 * nodes have loaded, by display name) and {@code GET /api/version}.
 */
@Singleton
public class OllamaModels {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ModelListing listing;
    private final CatalogService catalog;
    private final OllamaHttp ollama;
    private final InstantSource clock;
    private final String version;

    public OllamaModels(
            ModelListing listing,
            CatalogService catalog,
            OllamaHttp ollama,
            InstantSource clock,
            @Value("${maestro.ollama.version:0.12.6}") String version) {
        this.listing = listing;
        this.catalog = catalog;
        this.ollama = ollama;
        this.clock = clock;
        this.version = version;
    }

    public Mono<OutboundResponse> tags(UserAccess access) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        return listing.list(access).map(models -> {
            ObjectNode body = Json.object();
            ArrayNode out = body.putArray("models");
            for (ModelListing.ListedModel m : models) {
                ObjectNode entry =
                        m.ollama() == null ? synthetic(now) : m.ollama().deepCopy();
                entry.put("name", m.id());
                entry.put("model", m.id());
                entry.remove("remote_model");
                entry.remove("remote_host");
                out.add(entry);
            }
            return OutboundResponse.json(200, Json.write(body));
        });
    }

    /** A {@code /api/tags} entry for a model of a node that is not Ollama: the fields clients parse, nothing known. */
    private static ObjectNode synthetic(String now) {
        ObjectNode entry = Json.object();
        entry.put("modified_at", now);
        entry.put("size", 0);
        entry.put("digest", "");
        entry.set("details", OllamaShow.details());
        return entry;
    }

    /** {@code /api/ps}, merged over the active Ollama nodes; a node that does not answer in 5 s is left out. */
    public Mono<OutboundResponse> ps() {
        CatalogSnapshot snapshot = catalog.snapshot();
        List<Node> nodes = snapshot.nodes().stream()
                .filter(n -> n.active() && n.healthy() && n.type() == NodeType.OLLAMA)
                .toList();
        return Flux.fromIterable(nodes)
                .flatMapSequential(node -> ollama.getJson(node, "/api/ps")
                        .timeout(TIMEOUT)
                        .map(json -> Map.entry(node, json))
                        .onErrorResume(e -> Mono.empty()))
                .collectList()
                .map(answers -> {
                    Map<String, ObjectNode> merged = new LinkedHashMap<>();
                    for (Map.Entry<Node, JsonNode> answer : answers) {
                        Node node = answer.getKey();
                        for (JsonNode m : answer.getValue().path("models")) {
                            if (!(m instanceof ObjectNode entry)) {
                                continue;
                            }
                            String real = entry.path("model")
                                    .asText(entry.path("name").asText(""));
                            for (String name : namesOf(snapshot, node, real)) {
                                ObjectNode copy = entry.deepCopy();
                                copy.put("name", name);
                                copy.put("model", name);
                                copy.remove("remote_model");
                                copy.remove("remote_host");
                                merged.putIfAbsent(name, copy);
                            }
                        }
                    }
                    ObjectNode body = Json.object();
                    ArrayNode out = body.putArray("models");
                    merged.values().forEach(out::add);
                    return OutboundResponse.json(200, Json.write(body));
                });
    }

    /** The names a client knows a node's real model by: its mappings' display names, else the real name. */
    private static List<String> namesOf(CatalogSnapshot snapshot, Node node, String real) {
        List<String> names = new ArrayList<>();
        if (real.isEmpty()) {
            return names;
        }
        for (ModelMapping mapping : snapshot.mappingsForReal(real, node.id())) {
            if (!node.scopedModels() || !mapping.global()) {
                names.add(mapping.displayName());
            }
        }
        if (names.isEmpty() && !node.scopedModels()) {
            names.add(real);
        }
        return names;
    }

    /** The Ollama version the gateway presents itself as ({@code maestro.ollama.version}). */
    public OutboundResponse version() {
        ObjectNode body = Json.object();
        body.put("version", version);
        return OutboundResponse.json(200, Json.write(body));
    }
}
