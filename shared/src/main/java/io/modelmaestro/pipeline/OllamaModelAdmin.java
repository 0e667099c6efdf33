package io.modelmaestro.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.admin.AdminActor;
import io.modelmaestro.admin.AuditService;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.CatalogSnapshot;
import io.modelmaestro.catalog.ModelMapping;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.config.GatewayConfig;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.dialect.ollama.OllamaErrors;
import io.modelmaestro.json.Json;
import io.modelmaestro.provider.ollama.OllamaHttp;
import io.modelmaestro.routing.ModelResolver;
import io.modelmaestro.sse.NdjsonDecoder;
import io.modelmaestro.upstream.Primed;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Ollama's model management ({@code /api/pull}, {@code /api/push}, {@code /api/create}, {@code /api/copy}, {@code
 * DELETE /api/delete}) for the admin, on one Ollama node at a time: the target comes from a {@code node:CODE:model}
 * name or a {@code node} field and is never "all nodes".
 *
 * <p>Model names are identifiers, checked against {@link #NAME} before anything else happens: no {@code /}, so no
 * namespace, registry host or path can be smuggled into a pull, and no {@code ..}. Only the fields each operation
 * needs are forwarded ({@code insecure}, {@code files} and {@code adapters} never are). Progress streams are relayed
 * line by line as the node writes them. Every operation is written to the audit log.
 */
@Singleton
public class OllamaModelAdmin {

    /** A model name the management endpoints accept: {@code model} or {@code model:tag}, nothing else. */
    public static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]*(:[A-Za-z0-9._-]+)?$");

    private static final Logger LOG = LoggerFactory.getLogger(OllamaModelAdmin.class);
    private static final int MAX_NAME = 200;

    private final CatalogService catalog;
    private final OllamaHttp ollama;
    private final ModelListing listing;
    private final AuditService audit;
    private final GatewayConfig config;

    public OllamaModelAdmin(
            CatalogService catalog, OllamaHttp ollama, ModelListing listing, AuditService audit, GatewayConfig config) {
        this.catalog = catalog;
        this.ollama = ollama;
        this.listing = listing;
        this.audit = audit;
        this.config = config;
    }

    /** What the entry point hands over: the body and who is asking. */
    public record Command(byte[] body, AdminActor actor) {}

    public Mono<OutboundResponse> pull(Command command) {
        return streamed(command, "/api/pull", "pull", (body, node) -> {
            ObjectNode up = Json.object();
            up.put("model", existing(body, node, "model"));
            up.put("stream", stream(body));
            return up;
        });
    }

    public Mono<OutboundResponse> push(Command command) {
        return streamed(command, "/api/push", "push", (body, node) -> {
            ObjectNode up = Json.object();
            up.put("model", existing(body, node, "model"));
            up.put("stream", stream(body));
            return up;
        });
    }

    /**
     * {@code /api/create}: a new model {@code model} from {@code from} (an existing model) with the Modelfile-like
     * fields. {@code files} and {@code adapters} reference uploaded blobs by digest, and blob upload is not offered:
     * they are refused.
     */
    public Mono<OutboundResponse> create(Command command) {
        return streamed(command, "/api/create", "create", (body, node) -> {
            for (String refused : List.of("files", "adapters")) {
                if (body.has(refused) && !body.get(refused).isNull()) {
                    throw new GatewayException.InvalidRequest(
                            "'" + refused + "' is not supported through the gateway (blob upload is not offered)",
                            refused);
                }
            }
            ObjectNode up = Json.object();
            up.put("model", newName(body, "model"));
            if (body.has("from") && !body.get("from").isNull()) {
                up.put("from", existing(body, node, "from"));
            }
            for (String field : List.of("template", "license", "system", "quantize")) {
                JsonNode v = body.get(field);
                if (v != null && !v.isNull()) {
                    if (field.equals("license") ? !(v.isTextual() || v.isArray()) : !v.isTextual()) {
                        throw new GatewayException.InvalidRequest("invalid type for '" + field + "'", field);
                    }
                    up.set(field, v);
                }
            }
            for (String field : List.of("parameters", "messages")) {
                JsonNode v = body.get(field);
                if (v != null && !v.isNull()) {
                    if (field.equals("parameters") ? !v.isObject() : !v.isArray()) {
                        throw new GatewayException.InvalidRequest("invalid type for '" + field + "'", field);
                    }
                    up.set(field, v);
                }
            }
            up.put("stream", stream(body));
            return up;
        });
    }

    /** {@code /api/copy}: {@code source} (an existing model) to {@code destination} (a new name). */
    public Mono<OutboundResponse> copy(Command command) {
        return unary(command, "POST", "/api/copy", "copy", (body, node) -> {
            ObjectNode up = Json.object();
            up.put("source", existing(body, node, "source"));
            up.put("destination", newName(body, "destination"));
            return up;
        });
    }

    public Mono<OutboundResponse> delete(Command command) {
        return unary(command, "DELETE", "/api/delete", "delete", (body, node) -> {
            ObjectNode up = Json.object();
            up.put("model", existing(body, node, "model"));
            return up;
        });
    }

    @FunctionalInterface
    private interface BodyBuilder {
        ObjectNode build(ObjectNode clientBody, Node node);
    }

    private Mono<OutboundResponse> streamed(Command command, String endpoint, String action, BodyBuilder builder) {
        ObjectNode body;
        Node node;
        ObjectNode up;
        try {
            body = JsonBodies.parseObject(command.body(), config.getMaxBodyBytes());
            node = target(body, action.equals("copy") ? "source" : "model");
            up = builder.build(body, node);
        } catch (GatewayException e) {
            return Mono.just(fail(e));
        }
        byte[] bytes = Json.write(up);
        Mono<Void> audited = audit(command, action, node, up);
        if (!up.path("stream").asBoolean(true)) {
            return audited.then(ollama.send(node, "POST", endpoint, bytes))
                    .map(answer -> {
                        listing.forget(node.id());
                        return OutboundResponse.json(200, answer);
                    })
                    .onErrorResume(GatewayException.class, e -> Mono.just(fail(e)));
        }
        Flux<byte[]> lines = Flux.defer(() -> {
            NdjsonDecoder decoder = new NdjsonDecoder();
            return ollama.stream(node, "POST", endpoint, bytes)
                    .concatMapIterable(chunk -> lines(decoder.feed(chunk)))
                    .concatWith(Flux.defer(() -> Flux.fromIterable(lines(decoder.finish()))));
        });
        return audited.then(Primed.prime(lines))
                .map(primed -> OutboundResponse.stream(
                        OutboundResponse.NDJSON,
                        primed.all()
                                .doOnComplete(() -> listing.forget(node.id()))
                                .onErrorResume(error -> {
                                    GatewayException ge = error instanceof GatewayException g
                                            ? g
                                            : new GatewayException.UpstreamTimeout(
                                                    node.name(), "the node's stream failed", true, error);
                                    return Flux.just(OllamaErrors.line(ge));
                                })))
                .onErrorResume(GatewayException.class, e -> Mono.just(fail(e)));
    }

    private Mono<OutboundResponse> unary(
            Command command, String method, String endpoint, String action, BodyBuilder builder) {
        ObjectNode body;
        Node node;
        ObjectNode up;
        try {
            body = JsonBodies.parseObject(command.body(), config.getMaxBodyBytes());
            node = target(body, action.equals("copy") ? "source" : "model");
            up = builder.build(body, node);
        } catch (GatewayException e) {
            return Mono.just(fail(e));
        }
        return audit(command, action, node, up)
                .then(ollama.send(node, method, endpoint, Json.write(up)))
                .map(answer -> {
                    listing.forget(node.id());
                    return new OutboundResponse(200, OutboundResponse.JSON, Map.of(), answer, null);
                })
                .onErrorResume(GatewayException.class, e -> Mono.just(fail(e)));
    }

    /**
     * The one node the operation runs on: {@code node:CODE:} on the name field, or the {@code node} field (a node
     * code). It must exist and be an Ollama node.
     */
    private Node target(ObjectNode body, String nameField) {
        String code = null;
        JsonNode nameNode = field(body, nameField);
        if (nameNode != null && nameNode.isTextual() && nameNode.asText().startsWith(ModelResolver.NODE_PREFIX)) {
            String rest = nameNode.asText().substring(ModelResolver.NODE_PREFIX.length());
            int colon = rest.indexOf(':');
            if (colon <= 0 || colon == rest.length() - 1) {
                throw new GatewayException.InvalidRequest(
                        "node-prefixed names look like 'node:CODE:model', got '" + nameNode.asText() + "'", nameField);
            }
            code = rest.substring(0, colon);
        }
        JsonNode nodeField = body.get("node");
        if (nodeField != null && !nodeField.isNull()) {
            if (!nodeField.isTextual() || nodeField.asText().isBlank()) {
                throw new GatewayException.InvalidRequest("invalid type for 'node': expected a node code", "node");
            }
            if (code != null && !code.equals(nodeField.asText())) {
                throw new GatewayException.InvalidRequest("'node' and the node: prefix name different nodes", "node");
            }
            code = nodeField.asText();
        }
        if (code == null) {
            throw new GatewayException.InvalidRequest(
                    "model management needs a target node: use 'node:CODE:model' or the 'node' field (it is never"
                            + " sent to every node)",
                    "node");
        }
        String wanted = code;
        CatalogSnapshot snapshot = catalog.snapshot();
        Node node = snapshot.nodeByCode(wanted)
                .orElseThrow(() -> new GatewayException.NotFound("Node with code '" + wanted + "' not found"));
        if (node.type() != NodeType.OLLAMA) {
            throw new GatewayException.InvalidRequest(
                    "model management is available on Ollama nodes only; node '" + wanted + "' is of type '"
                            + node.type().wireName() + "'",
                    "node");
        }
        return node;
    }

    /** An existing model: its name checked, then mapped to the real name when a mapping applies on the node. */
    private String existing(ObjectNode body, Node node, String field) {
        String name = checkedName(body, field);
        ModelMapping mapping = catalog.snapshot().mapping(name);
        if (mapping != null && mapping.appliesTo(node.id())) {
            return mapping.realName();
        }
        return name;
    }

    /** A name to create: checked, never mapped. */
    private static String newName(ObjectNode body, String field) {
        return checkedName(body, field);
    }

    /** The field's model name without a {@code node:CODE:} prefix, validated as an identifier. */
    static String checkedName(ObjectNode body, String field) {
        JsonNode v = field(body, field);
        if (v == null || v.isNull()) {
            throw new GatewayException.InvalidRequest("'" + field + "' is required", field);
        }
        if (!v.isTextual()) {
            throw new GatewayException.InvalidRequest("invalid type for '" + field + "': expected a string", field);
        }
        String name = v.asText();
        if (name.startsWith(ModelResolver.NODE_PREFIX)) {
            String rest = name.substring(ModelResolver.NODE_PREFIX.length());
            name = rest.substring(rest.indexOf(':') + 1);
        }
        if (name.length() > MAX_NAME
                || name.contains("..")
                || !NAME.matcher(name).matches()) {
            throw new GatewayException.InvalidRequest(
                    "invalid model name '" + printable(name) + "': use letters, digits, '.', '_' and '-' with an"
                            + " optional ':tag' (no '/', no '..')",
                    field);
        }
        return name;
    }

    /** {@code model} (or the older {@code name}) for the model field; other fields as they are. */
    private static @Nullable JsonNode field(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if ((v == null || v.isNull()) && field.equals("model")) {
            v = body.get("name");
        }
        return v;
    }

    private static boolean stream(ObjectNode body) {
        JsonNode v = body.get("stream");
        if (v == null || v.isNull()) {
            return true;
        }
        if (!v.isBoolean()) {
            throw new GatewayException.InvalidRequest("invalid type for 'stream': expected a boolean", "stream");
        }
        return v.asBoolean();
    }

    private Mono<Void> audit(Command command, String action, Node node, ObjectNode up) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("node", node.code());
        up.properties().forEach(e -> {
            if (e.getValue().isTextual()) {
                details.put(e.getKey(), e.getValue().asText());
            }
        });
        return Mono.<Void>fromRunnable(
                        () -> audit.record("model." + action, "node", node.id(), command.actor(), details))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorResume(e -> {
                    LOG.error("could not write the audit row for model.{} on node {}", action, node.name(), e);
                    return Mono.error(new GatewayException.Internal("Could not write the audit log", e));
                });
    }

    private static List<byte[]> lines(List<String> lines) {
        List<byte[]> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            out.add((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String printable(String name) {
        String cut = name.length() > 80 ? name.substring(0, 80) + "…" : name;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }

    static OutboundResponse fail(GatewayException error) {
        return OutboundResponse.json(OllamaErrors.status(error), OllamaErrors.body(error), OllamaErrors.headers(error));
    }
}
