package io.modelmaestro.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Value;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.json.Json;
import io.modelmaestro.provider.ollama.OllamaHttp;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Ollama nodes: health is {@code GET /api/version} (no model involved); discovery is {@code GET /api/tags} and one
 * {@code POST /api/show} per model for its capabilities and context length ({@code model_info.<arch>.context_length});
 * warmup is a generate with an empty prompt, which makes Ollama load the model and keep it for {@code
 * maestro.warmup.keep-alive}.
 */
@Singleton
public class OllamaNodeSupport implements NodeProbe, NodeModelSource, NodeWarmer {

    private static final int SHOW_CONCURRENCY = 4;

    private final OllamaHttp ollama;
    private final String keepAlive;

    public OllamaNodeSupport(OllamaHttp ollama, @Value("${maestro.warmup.keep-alive:30m}") String keepAlive) {
        this.ollama = ollama;
        this.keepAlive = keepAlive;
    }

    @Override
    public boolean supports(NodeType type) {
        return type == NodeType.OLLAMA;
    }

    @Override
    public Mono<?> probe(Node node) {
        return ollama.getJson(node, "/api/version");
    }

    @Override
    public Mono<List<DiscoveredModel>> models(Node node) {
        return ollama.getJson(node, "/api/tags")
                .flatMapMany(tags -> Flux.fromIterable(entries(tags)))
                .flatMapSequential(entry -> show(node, entry), SHOW_CONCURRENCY)
                .collectList();
    }

    @Override
    public Mono<?> warm(Node node, String model) {
        ObjectNode body = Json.object();
        body.put("model", model);
        body.put("prompt", "");
        body.put("keep_alive", keepAlive);
        body.put("stream", false);
        return ollama.postJson(node, "/api/generate", Json.write(body));
    }

    private static List<ObjectNode> entries(JsonNode tags) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode m : tags.path("models")) {
            if (m instanceof ObjectNode entry && !name(entry).isEmpty()) {
                out.add(entry);
            }
        }
        return out;
    }

    private static String name(JsonNode entry) {
        return entry.path("name").asText(entry.path("model").asText(""));
    }

    /** The tags entry enriched by {@code /api/show}; a model whose show fails is still listed, without them. */
    private Mono<DiscoveredModel> show(Node node, ObjectNode entry) {
        String name = name(entry);
        ObjectNode request = Json.object();
        request.put("model", name);
        return ollama.postJson(node, "/api/show", Json.write(request))
                .map(show -> model(name, entry, show))
                .onErrorResume(e -> Mono.just(model(name, entry, null)));
    }

    static DiscoveredModel model(String name, ObjectNode entry, @Nullable JsonNode show) {
        Integer context = null;
        List<String> capabilities = new ArrayList<>();
        if (show != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            show.path("model_info").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().endsWith(".context_length") && f.getValue().canConvertToInt()) {
                    context = f.getValue().asInt();
                }
            }
            for (JsonNode c : show.path("capabilities")) {
                if (c.isTextual()) {
                    capabilities.add(c.asText());
                }
            }
        }
        JsonNode size = entry.get("size");
        String family = entry.path("details").path("family").asText("");
        String digest = entry.path("digest").asText("");
        return new DiscoveredModel(
                name,
                size != null && size.canConvertToLong() ? size.asLong() : null,
                family.isEmpty() ? null : family,
                digest.isEmpty() ? null : digest,
                context,
                capabilities,
                entry,
                instant(entry.path("modified_at").asText("")));
    }

    private static @Nullable Instant instant(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
